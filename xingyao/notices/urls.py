from django.urls import path

from xingyao.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.inbox_page, name="inbox"),
    path("<int:pk>/", views.notice_detail, name="notice"),
    path("read-all/", views.read_all, name="read_all"),
    path("muting/", views.muting, name="muting"),
    path("channels/", views.channels, name="channels"),
    path("channels/new/", views.channel_new, name="channel_new"),
    path("channels/<int:pk>/remove/", views.channel_remove, name="channel_remove"),
]
