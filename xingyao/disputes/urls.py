from django.urls import path

from xingyao.disputes import views

app_name = "disputes"
urlpatterns = [
    path("", views.dispute_list, name="list"),
    path("new/", views.register, name="register"),
    path("figures/", views.figures, name="figures"),
    path("zero/", views.zero, name="zero"),
    path("figures.xlsx", views.figures_export, name="figures_export"),
    path("zero.xlsx", views.zero_export, name="zero_export"),
    path("ledger.xlsx", views.export, name="export"),
    path("<int:pk>/", views.dispute_detail, name="dispute"),
    path("<int:pk>/triage/", views.triage, name="triage"),
    path("<int:pk>/session/", views.session, name="session"),
    path("<int:pk>/outcome/", views.outcome, name="outcome"),
    path("<int:pk>/documents/", views.document_add, name="document_add"),
    path("documents/<int:pk>/", views.document, name="document"),
]
