from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "xingyao.assessments"
    label = "assessments"
    verbose_name = "年度评星"
