from django.apps import AppConfig


class GridConfig(AppConfig):
    name = "xingyao.grid"
    label = "grid"
    verbose_name = "网格事件"

    def ready(self) -> None:
        from xingyao.grid import menu, metrics, tasks

        metrics.register()
        menu.register()
        tasks.register()

        from xingyao.grid import audit_labels  # noqa: F401 - registers the audit log's words for this app
