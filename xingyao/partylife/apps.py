from django.apps import AppConfig


class PartylifeConfig(AppConfig):
    name = "xingyao.partylife"
    label = "partylife"
    verbose_name = "组织生活"

    def ready(self) -> None:
        from xingyao.partylife import menu, metrics, tasks

        metrics.register()
        menu.register()
        tasks.register()

        from xingyao.partylife import audit_labels  # noqa: F401 - registers the audit log's words for this app
