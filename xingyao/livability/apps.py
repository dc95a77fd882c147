from django.apps import AppConfig

from xingyao.core.apps import register_parts


class LivabilityConfig(AppConfig):
    name = "xingyao.livability"
    verbose_name = "人居环境与为民服务"

    def ready(self) -> None:
        register_parts(self, "audit_labels", "menu", "metrics", "tasks", "jobs")
