from django.urls import path

from xingyao.places import views

app_name = "places"
urlpatterns = [
    path("search/", views.unit_search, name="unit_search"),
    path("workdays/remove/<int:pk>/", views.workday_remove, name="workday_remove"),
    path("<str:code>/", views.unit_detail, name="unit"),
    path("<str:code>/new/", views.unit_create, name="unit_create"),
    path("<str:code>/edit/", views.unit_edit, name="unit_edit"),
    path("<str:code>/workdays/", views.workdays, name="workdays"),
    path("<str:code>/import/<str:what>/", views.unit_import, name="unit_import"),
    path("<str:code>/export/<str:what>.xlsx", views.unit_export, name="unit_export"),
]
