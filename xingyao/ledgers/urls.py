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
    path("warnings/", views.warning_list, name="warnings"),
    path("warnings.xlsx", views.warning_export, name="warnings_export"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning"),
    path("warnings/<int:pk>/decide/", views.warning_decide, name="warning_decide"),
    path("<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("gaps/<int:plan_id>/", views.gaps, name="gaps"),
    path("import/", views.import_items, name="import"),
]
