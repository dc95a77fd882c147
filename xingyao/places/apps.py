from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "xingyao.places"
    label = "places"
    verbose_name = "行政区划与网格"

    def ready(self) -> None:
        from xingyao.places import audit_labels  # noqa: F401 - registers the audit log's words for this app
