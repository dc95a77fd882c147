from django.apps import AppConfig


class StarsConfig(AppConfig):
    name = "xingyao.stars"
    label = "stars"
    verbose_name = "星级评定标准与创星计划"

    def ready(self) -> None:
        from xingyao.core import metrics
        from xingyao.stars import menu
        from xingyao.stars.example_2023_rural import PLANNED_METRICS
        from xingyao.stars.queries import published_bindings

        for key, label, unit, kind in PLANNED_METRICS:
            metrics.plan(key, label, unit, metrics.ValueKind(kind))
        metrics.register_bindings(published_bindings)
        menu.register()

        from xingyao.stars import audit_labels  # noqa: F401 - registers the audit log's words for this app
