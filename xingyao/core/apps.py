from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xingyao.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from django.core import checks

        from xingyao.core.checks import check_metric_bindings

        checks.register(check_metric_bindings, checks.Tags.database)

        from xingyao.core import audit_text

        audit_text.register(
            subjects={"workday": "工作日调整"},
            actions={"workday.set": "设置工作日调整", "workday.remove": "删除工作日调整"},
        )
