from django.apps import AppConfig


class StarsConfig(AppConfig):
    name = "xingyao.stars"
    label = "stars"
    verbose_name = "星级评定标准与创星计划"
