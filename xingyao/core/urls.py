from django.urls import path

from xingyao.core import views

app_name = "core"
urlpatterns = [
    path("go/<str:key>/", views.go, name="go"),
    path("audit/", views.audit_log, name="audit"),
    path("workdays/<str:code>/", views.workdays, name="workdays"),
    path("workdays/remove/<int:pk>/", views.workday_remove, name="workday_remove"),
]
