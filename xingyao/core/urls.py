from django.urls import path

from xingyao.core import views

app_name = "core"
urlpatterns = [
    path("", views.index, name="index"),
    path("home/", views.home, name="home"),
    path("audit/", views.audit_log, name="audit"),
]
