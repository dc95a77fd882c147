from django.apps import AppConfig

from xingyao.core.apps import register_parts


class NoticesConfig(AppConfig):
    name = "xingyao.notices"
    verbose_name = "消息通知"

    def ready(self) -> None:
        register_parts(self, "audit_labels", "menu")
