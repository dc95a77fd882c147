from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home page per role: it reads every app (the top layer); no app imports it."""

    name = "xingyao.home"
    verbose_name = "首页"
