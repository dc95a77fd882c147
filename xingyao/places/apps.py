from django.apps import AppConfig

from xingyao.core.apps import register_parts


class PlacesConfig(AppConfig):
    name = "xingyao.places"
    verbose_name = "行政区划与网格"

    def ready(self) -> None:
        register_parts(self, "audit_labels", "jobs")
