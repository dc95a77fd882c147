"""The `xingyao` command: Django's manage.py under the package's name."""

import os
import sys

DEMO_REFUSED = "生产环境不能载入演示数据：xingyao demo 只用于演示和开发环境"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xingyao.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    # The demo app is not installed in production; say so in Chinese rather than Django's "Unknown command".
    if sys.argv[1:2] == ["demo"] and getattr(settings, "PRODUCTION", False):
        sys.exit(DEMO_REFUSED)

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
