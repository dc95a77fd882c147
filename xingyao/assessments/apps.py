from django.apps import AppConfig

from xingyao.core.apps import register_parts


class AssessmentsConfig(AppConfig):
    name = "xingyao.assessments"
    verbose_name = "年度评星"

    def ready(self) -> None:
        from xingyao.assessments.models import PublishedNotice
        from xingyao.assessments.queries import current_stars
        from xingyao.core.audit import register_append_only
        from xingyao.stars.queries import register_held_stars

        register_parts(self, "audit_labels", "menu", "tasks", "jobs", "metrics")
        register_held_stars(current_stars)
        register_append_only(PublishedNotice)  # its migration gives it the audit table's triggers
