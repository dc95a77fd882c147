from django.apps import AppConfig

from xingyao.core.apps import register_parts


class GridConfig(AppConfig):
    name = "xingyao.grid"
    verbose_name = "网格事件"

    def ready(self) -> None:
        from xingyao.core import offline  # imports models: only once the apps are loaded

        register_parts(self, "audit_labels", "menu", "metrics", "tasks", "jobs", "search", "notify")
        # A grid worker's phone keeps the report form and his own events for the fields without signal.
        offline.keep_page("grid:report")
        offline.keep_page("grid:events", "tab=todo")
        offline.keep_page("grid:events", "tab=progress")  # his grid's events being handled: he follows them up
