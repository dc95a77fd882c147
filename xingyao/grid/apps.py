from django.apps import AppConfig

from xingyao.core.apps import register_parts


class GridConfig(AppConfig):
    name = "xingyao.grid"
    verbose_name = "网格事件"

    def ready(self) -> None:
        register_parts(self, "audit_labels", "menu", "metrics", "tasks", "jobs", "search", "notify")
