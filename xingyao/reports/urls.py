from django.urls import path

from xingyao.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("<str:code>/<year:year>/", views.dashboard, name="dashboard"),
]
