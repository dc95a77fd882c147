from django.urls import path

from xingyao.grid import views

app_name = "grid"
urlpatterns = [
    path("", views.events, name="events"),
    path("new/", views.report, name="report"),
    path("map/", views.event_map, name="map"),
    path("ledger.xlsx", views.export, name="export"),
    path("<int:pk>/", views.event_detail, name="event"),
    path("<int:pk>/act/", views.event_act, name="event_act"),
    path("<int:pk>/note/", views.event_note, name="event_note"),
    path("<int:pk>/supervise/", views.event_supervise, name="event_supervise"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("categories/", views.categories, name="categories"),
    path("categories/new/<str:code>/", views.category_edit, name="category_new"),
    path("categories/<int:pk>/edit/", views.category_edit, name="category_edit"),
    path("people/<str:code>/", views.people, name="people"),
    path("people/<str:code>/add/", views.post_add, name="post_add"),
    path("people/<str:code>/import/", views.people_import, name="people_import"),
    path("people/<str:code>/export.xlsx", views.people_export, name="people_export"),
    path("links/<str:code>/", views.resident_link, name="resident_link"),
    path("links/<str:code>/poster/", views.resident_poster, name="resident_poster"),
    path("r/<str:token>/", views.public_report, name="public_report"),
    path("track/", views.track, name="track"),
]
