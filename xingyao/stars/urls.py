from django.urls import path

from xingyao.stars import views

app_name = "stars"
urlpatterns = [
    path("criteria/", views.criteria_list, name="criteria"),
    path("criteria/new/", views.criteria_create, name="criteria_create"),
    path("criteria/<int:pk>/", views.criteria_detail, name="criteria_detail"),
    path("criteria/<int:pk>/edit/", views.criteria_edit, name="criteria_edit"),
    path("criteria/<int:pk>/publish/", views.criteria_publish, name="criteria_publish"),
    path("criteria/<int:pk>/copy/", views.criteria_copy, name="criteria_copy"),
    path("criteria/<int:pk>/export.xlsx", views.criteria_export, name="criteria_export"),
    path("criteria/<int:pk>/import/", views.criteria_import, name="criteria_import"),
    path("criteria/stars/<int:pk>/edit/", views.star_edit, name="star_edit"),
    path("criteria/stars/<int:pk>/indicators/new/", views.indicator_create, name="indicator_create"),
    path("criteria/indicators/<int:pk>/", views.indicator_row, name="indicator_row"),
    path("criteria/indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("criteria/indicators/<int:pk>/delete/", views.indicator_delete, name="indicator_delete"),
    path("plans/", views.plan_home, name="plan_home"),
    path("plans/edit/<int:pk>/", views.plan_edit, name="plan_edit"),
    path("plans/<str:code>/<year:year>/", views.plans, name="plans"),
    path("plans/<str:code>/<year:year>/plans.xlsx", views.plans_export, name="plans_export"),
    path("plans/<str:code>/<year:year>/new/<str:star_code>/", views.plan_create, name="plan_create"),
]
