from django.urls import path

from xingyao.assessments import views

app_name = "assessments"
urlpatterns = [
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/values/", views.assessment_values, name="values"),
    path("<int:pk>/refresh/", views.assessment_refresh, name="refresh"),
    path("<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("<int:pk>/do/<str:action>/", views.assessment_transition, name="transition"),
    path("<int:pk>/stars/<str:code>/review/", views.star_review, name="star_review"),
    path("<int:pk>/paper-notice/", views.paper_notice_add, name="paper_notice_add"),
    path("paper-notices/<int:pk>/", views.paper_notice_file, name="paper_notice_file"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("start/<str:code>/<year:year>/", views.assessment_start, name="start"),
    path("open/<str:code>/<year:year>/", views.open_year, name="open_year"),
    path("queue/", views.queue, name="queue"),
    path("queue/approve/", views.queue_approve, name="queue_approve"),
    path("overview/<str:code>/<year:year>/", views.overview, name="overview"),
    path("overview/<str:code>/<year:year>/publicity/", views.open_publicity, name="open_publicity"),
    path("overview/<str:code>/<year:year>/award/", views.award_ended, name="award_ended"),
    path("overview/<str:code>/<year:year>/rescore/", views.rescore_year, name="rescore_year"),
    path("objections/<int:pk>/decide/", views.objection_decide, name="objection_decide"),
    path("stars/<int:pk>/", views.star_manage, name="star_manage"),
    path("stars/evidence/<int:pk>/", views.star_evidence_file, name="star_evidence_file"),
    path("rankings/<str:code>/<year:year>/", views.rankings, name="rankings"),
    path("overview/<str:code>/<year:year>/results.xlsx", views.results_export, name="results_export"),
    path("rankings/<str:code>/<year:year>/rankings.xlsx", views.rankings_export, name="rankings_export"),
]
