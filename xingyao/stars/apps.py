from django.apps import AppConfig

from xingyao.core.apps import register_parts


class StarsConfig(AppConfig):
    name = "xingyao.stars"
    verbose_name = "星级评定标准与创星计划"

    def ready(self) -> None:
        from xingyao.core import metrics
        from xingyao.stars.example_2023_rural import PLANNED_METRICS
        from xingyao.stars.queries import published_bindings

        for key, label, unit, kind in PLANNED_METRICS:
            metrics.plan(key, label, unit, metrics.ValueKind(kind))
        metrics.register_bindings(published_bindings)
        register_parts(self, "audit_labels", "menu", "metrics")
