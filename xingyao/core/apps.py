import importlib

from django.apps import AppConfig

# The modules an app hands to the kit from its `ready()`, and whether each is registered by calling its
# `register()` (menu entries, metrics, home-page tasks, background-job kinds) or by being imported (the audit
# log's words); `search` registers number finders (core/search.py), `notify` the daily reminder's finders (notices).
PARTS = {
    "audit_labels": False,
    "menu": True,
    "metrics": True,
    "tasks": True,
    "jobs": True,
    "search": True,
    "notify": True,
}


def register_parts(config: AppConfig, *parts: str) -> None:
    """Register an app's kit modules, e.g. `register_parts(self, "audit_labels", "menu", "metrics", "tasks")`."""
    for part in parts:
        if part not in PARTS:
            raise ValueError(f"{config.name}: {part!r} is not one of the kit's parts {sorted(PARTS)}")
        module = importlib.import_module(f"{config.name}.{part}")
        if PARTS[part]:
            module.register()


class CoreConfig(AppConfig):
    name = "xingyao.core"
    verbose_name = "基础"

    def ready(self) -> None:
        from django.core import checks

        from xingyao.core import converters, menu
        from xingyao.core.checks import check_metric_bindings
        from xingyao.core.roles import Action
        from xingyao.core.scoping import holds

        checks.register(check_metric_bindings, checks.Tags.database)
        converters.register()  # `<year:year>` in the apps' urls.py
        menu.register(menu.Entry("core.audit", "审计", lambda u: holds(u, Action.ADMIN), route="core:audit", order=81))

        from xingyao.core import audit_text

        audit_text.register(
            subjects={"workday": "工作日调整", "job": "后台任务"},
            actions={"workday.set": "设置工作日调整", "workday.remove": "删除工作日调整", "job.start": "发起后台任务"},
        )
