from django.urls import path

from xingyao.ledgers import views

app_name = "ledgers"
urlpatterns = [
    path("", views.items, name="list"),
    path("new/", views.new, name="new"),
    path("ledger.xlsx", views.export, name="export"),
    path("<int:pk>/", views.item_detail, name="item"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/submit/", views.submit_item, name="submit"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/close/", views.close, name="close"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("weak/", views.designations, name="designations"),
    path("weak/new/", views.designate, name="designate"),
    path("weak/<int:pk>/", views.designation_detail, name="designation"),
    path("weak/<int:pk>/close/", views.designation_close, name="designation_close"),
]
