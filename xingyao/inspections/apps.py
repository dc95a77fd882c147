from django.apps import AppConfig

from xingyao.core.apps import register_parts


class InspectionsConfig(AppConfig):
    name = "xingyao.inspections"
    verbose_name = "观摩评比"

    def ready(self) -> None:
        register_parts(self, "audit_labels", "menu", "metrics", "tasks")
