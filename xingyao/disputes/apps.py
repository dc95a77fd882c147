from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "xingyao.disputes"
    label = "disputes"
    verbose_name = "矛盾纠纷"

    def ready(self) -> None:
        from xingyao.disputes import menu, metrics, tasks

        metrics.register()
        menu.register()
        tasks.register()

        from xingyao.disputes import audit_labels  # noqa: F401 - registers the audit log's words for this app
