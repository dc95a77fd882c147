from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "xingyao.assessments"
    label = "assessments"
    verbose_name = "年度评星"

    def ready(self) -> None:
        from xingyao.assessments import (
            audit_labels,  # noqa: F401 - registers the audit log's words for this app
            menu,
            tasks,
        )
        from xingyao.assessments.queries import current_stars
        from xingyao.stars.queries import register_held_stars

        menu.register()
        tasks.register()
        register_held_stars(current_stars)
