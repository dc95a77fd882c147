from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xingyao.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from django.core import checks
        from django.urls import reverse

        from xingyao.core import menu
        from xingyao.core.checks import check_metric_bindings
        from xingyao.core.roles import Action
        from xingyao.core.scoping import holds

        checks.register(check_metric_bindings, checks.Tags.database)
        menu.register(
            menu.Entry(
                "core.audit", "审计", lambda u: holds(u, Action.ADMIN), url=lambda u: reverse("core:audit"), order=81
            )
        )

        from xingyao.core import audit_text

        audit_text.register(
            subjects={"workday": "工作日调整"},
            actions={"workday.set": "设置工作日调整", "workday.remove": "删除工作日调整"},
        )
