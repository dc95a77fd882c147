from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "xingyao.places"
    label = "places"
    verbose_name = "行政区划与网格"
