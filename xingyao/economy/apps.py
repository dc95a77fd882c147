from django.apps import AppConfig

from xingyao.core.apps import register_parts


class EconomyConfig(AppConfig):
    name = "xingyao.economy"
    verbose_name = "产业兴旺"

    def ready(self) -> None:
        register_parts(self, "audit_labels", "menu", "metrics", "tasks")
