from django.urls import path

from xingyao.core import views

app_name = "core"
urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("go/<str:key>/", views.go, name="go"),
    path("audit/", views.audit_log, name="audit"),
    path("imports/errors/<str:token>/", views.import_error_sheet, name="import_errors"),
]
