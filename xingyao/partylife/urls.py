from django.urls import path

from xingyao.partylife import views

app_name = "partylife"
urlpatterns = [
    path("", views.meetings, name="list"),
    path("new/", views.record, name="record"),
    path("ledger.xlsx", views.export, name="export"),
    path("months/", views.months, name="months"),
    path("<int:pk>/", views.meeting_detail, name="meeting"),
    path("<int:pk>/photos/", views.meeting_photos, name="meeting_photos"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("members/", views.candidates, name="candidates"),
    path("members/new/", views.candidate_new, name="candidate_new"),
    path("members/ledger.xlsx", views.candidates_export, name="candidates_export"),
    path("members/<int:pk>/advance/", views.candidate_advance, name="candidate_advance"),
]
