from django.urls import path

from xingyao.home import views

app_name = "home"
urlpatterns = [
    path("", views.index, name="index"),
    path("home/", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("help/", views.help_page, name="help"),
]
