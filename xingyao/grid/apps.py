from django.apps import AppConfig


class GridConfig(AppConfig):
    name = "xingyao.grid"
    label = "grid"
    verbose_name = "网格事件"

    def ready(self) -> None:
        from xingyao.grid import (
            metrics,
            queries,  # noqa: F401 - registers the home page's task source
        )

        metrics.register()

        from xingyao.grid import audit_labels  # noqa: F401 - registers the audit log's words for this app
