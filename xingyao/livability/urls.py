from django.urls import path

from xingyao.livability import views

app_name = "livability"
urlpatterns = [
    path("", views.works, name="works"),
    path("new/", views.work_new, name="work_new"),
    path("ledger.xlsx", views.works_export, name="works_export"),
    path("import/", views.works_import, name="works_import"),
    path("<int:pk>/", views.work_detail, name="work"),
    path("<int:pk>/photos/", views.work_photos, name="work_photos"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("toilets/", views.toilets, name="toilets"),
    path("toilets/set/", views.toilets_set, name="toilets_set"),
    path("centres/", views.centres, name="centres"),
    path("centres/save/", views.centre_save, name="centre_save"),
    path("centres/rooms/", views.rooms, name="rooms"),
    path("centres/<int:pk>/", views.centre_detail, name="centre"),
    path("centres/<int:pk>/photos/", views.centre_photos, name="centre_photos"),
    path("services/", views.services, name="services"),
    path("services/new/", views.service_new, name="service_new"),
    path("services/<int:pk>/finish/", views.service_finish, name="service_finish"),
    path("activities/", views.activities, name="activities"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("activities/ledger.xlsx", views.activities_export, name="activities_export"),
    path("activities/import/", views.activities_import, name="activities_import"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("activities/<int:pk>/photos/", views.activity_photos, name="activity_photos"),
    path("honours/", views.honours, name="honours"),
    path("honours/new/", views.honour_new, name="honour_new"),
]
