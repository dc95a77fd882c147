from django.urls import path

from xingyao.core import job_views, pwa, views

app_name = "core"
urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline_page, name="offline"),
    path("go/<str:key>/", views.go, name="go"),
    path("audit/", views.audit_log, name="audit"),
    path("imports/errors/<str:token>/", views.import_error_sheet, name="import_errors"),
    path("jobs/", job_views.job_list, name="jobs"),
    path("jobs/<int:pk>/", job_views.job_detail, name="job"),
    path("jobs/<int:pk>/progress/", job_views.job_progress, name="job_progress"),
    path("jobs/files/<int:pk>/", job_views.job_file, name="job_file"),
]
