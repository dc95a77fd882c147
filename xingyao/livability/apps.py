from django.apps import AppConfig

from xingyao.core.apps import register_parts


class LivabilityConfig(AppConfig):
    name = "xingyao.livability"
    verbose_name = "人居环境与为民服务"

    def ready(self) -> None:
        from xingyao.core import offline  # imports models: only once the apps are loaded

        register_parts(self, "audit_labels", "menu", "metrics", "tasks", "jobs")
        offline.keep_page("livability:work_new")  # a work is recorded where it was done, signal or not
