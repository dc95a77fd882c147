from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xingyao.core"
    label = "core"
    verbose_name = "基础"
