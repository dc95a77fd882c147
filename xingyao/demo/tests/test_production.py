"""The demo stays out of production: the app is not installed and `xingyao demo` refuses in Chinese."""

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

PRODUCTION = {
    "XINGYAO_PRODUCTION": "1",
    "SECRET_KEY": "k" * 40,
    "DATABASE_URL": "postgresql://a:b@h/d",
    "XINGYAO_AUDIT_KEY": "a" * 40,
    "ALLOWED_HOSTS": "xingyao.example.cn",
}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in (*PRODUCTION, "XINGYAO_DEBUG")}
    return subprocess.run(
        [sys.executable, *args],
        env={**base, "DJANGO_SETTINGS_MODULE": "xingyao.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


INSTALLED = "import django; django.setup(); from django.apps import apps; print(apps.is_installed('xingyao.demo'))"


def test_demo_app_is_installed_outside_production_only():
    assert run(["-c", INSTALLED]).stdout.strip() == "True"
    production = run(["-c", INSTALLED], **PRODUCTION)
    assert production.returncode == 0, production.stderr
    assert production.stdout.strip() == "False"


def test_xingyao_demo_refuses_to_run_in_production():
    result = run(["-m", "xingyao", "demo"], **PRODUCTION)
    assert result.returncode != 0
    assert "生产环境不能载入演示数据" in result.stderr
    assert "Unknown command" not in result.stderr


def test_demo_command_refuses_even_when_a_production_site_installs_it(settings, db):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="生产环境不能载入演示数据"):
        call_command("demo")
