from django.apps import AppConfig

from xingyao.core.apps import register_parts


class LedgersConfig(AppConfig):
    name = "xingyao.ledgers"
    verbose_name = "整顿台账"

    def ready(self) -> None:
        register_parts(self, "audit_labels", "menu", "metrics", "tasks", "jobs", "notify")
        from xingyao.ledgers.views import plan_items
        from xingyao.stars.hooks import add_to_plan_page

        add_to_plan_page("ledgers", plan_items)
