from django.apps import AppConfig

from xingyao.core.apps import register_parts


class PartylifeConfig(AppConfig):
    name = "xingyao.partylife"
    verbose_name = "组织生活"

    def ready(self) -> None:
        register_parts(self, "audit_labels", "menu", "metrics", "tasks")
