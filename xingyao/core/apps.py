from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xingyao.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from django.core import checks

        from xingyao.core.checks import check_metric_bindings

        checks.register(check_metric_bindings, checks.Tags.database)
