from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "xingyao.demo"
    verbose_name = "演示数据"
