from django.apps import AppConfig

from xingyao.core.apps import register_parts


class PartylifeConfig(AppConfig):
    name = "xingyao.partylife"
    verbose_name = "组织生活"

    def ready(self) -> None:
        from xingyao.core import offline  # imports models: only once the apps are loaded

        register_parts(self, "audit_labels", "menu", "metrics", "tasks")
        offline.keep_page("partylife:record")  # a clerk records a meeting where it was held, signal or not
