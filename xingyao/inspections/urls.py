from django.urls import path

from xingyao.inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.rounds, name="list"),
    path("new/", views.plan, name="new"),
    path("trend/", views.trends, name="trend"),
    path("sheets/", views.sheets, name="sheets"),
    path("sheets/new/", views.sheet_new, name="sheet_new"),
    path("sheets/<int:pk>/", views.sheet_detail, name="sheet"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/ranking/", views.round_ranking, name="ranking"),
    path("<int:pk>/scores.xlsx", views.export, name="export"),
    path("<int:pk>/import/", views.import_scores, name="import"),
    path("<int:pk>/<slug:move>/", views.round_move, name="move"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>/score/", views.score, name="score"),
    path("visits/<int:pk>/items/", views.to_items, name="to_items"),
]
