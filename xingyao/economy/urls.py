from django.urls import path

from xingyao.economy import views

app_name = "economy"
urlpatterns = [
    path("", views.projects, name="list"),
    path("new/", views.project_new, name="project_new"),
    path("ledger.xlsx", views.projects_export, name="export"),
    path("import/", views.projects_import, name="import"),
    path("<int:pk>/", views.project_detail, name="project"),
    path("<int:pk>/advance/", views.project_advance, name="advance"),
    path("<int:pk>/milestone/", views.project_milestone, name="milestone"),
    path("<int:pk>/follow-up/", views.project_follow_up, name="follow_up"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("industries/", views.industries, name="industries"),
    path("industries/new/", views.industry_new, name="industry_new"),
    path("industries/<int:pk>/", views.industry_detail, name="industry"),
    path("industries/<int:pk>/area/", views.industry_area, name="industry_area"),
    path("industries/areas/", views.areas, name="areas"),
    path("industries/areas.xlsx", views.areas_export, name="areas_export"),
    path("industries/areas/import/", views.areas_import, name="areas_import"),
    path("cooperatives/", views.cooperatives, name="cooperatives"),
    path("cooperatives/new/", views.cooperative_new, name="cooperative_new"),
    path("cooperatives/<int:pk>/contract/", views.cooperative_contract, name="contract"),
    path("income/", views.incomes, name="incomes"),
    path("income/new/", views.income_new, name="income_new"),
    path("income/ledger.xlsx", views.incomes_export, name="incomes_export"),
    path("income/import/", views.incomes_import, name="incomes_import"),
    path("requests/", views.requests, name="requests"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/rhythm/", views.rhythm, name="rhythm"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/step/", views.request_step, name="request_step"),
    path("requests/<int:pk>/escalate/", views.request_escalate, name="request_escalate"),
    path("enterprises/new/", views.enterprise_new, name="enterprise_new"),
]
