from django.apps import AppConfig

from xingyao.core.apps import register_parts


class BriefingsConfig(AppConfig):
    name = "xingyao.briefings"
    verbose_name = "工作通报"

    def ready(self) -> None:
        register_parts(self, "audit_labels", "menu", "jobs")
