from django.apps import AppConfig

from xingyao.core.apps import register_parts


class DisputesConfig(AppConfig):
    name = "xingyao.disputes"
    verbose_name = "矛盾纠纷"

    def ready(self) -> None:
        register_parts(self, "audit_labels", "menu", "metrics", "tasks", "jobs", "search")
