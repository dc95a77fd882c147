from django.apps import AppConfig

from xingyao.core.apps import register_parts


class ReportsConfig(AppConfig):
    """Dashboards per county, town and village: figures read only through the metrics registry, as the user may."""

    name = "xingyao.reports"
    verbose_name = "数据看板"

    def ready(self) -> None:
        register_parts(self, "menu")
