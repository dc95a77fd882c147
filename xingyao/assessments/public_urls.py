from django.urls import path

from xingyao.assessments import public_views

app_name = "public"
urlpatterns = [
    path("", public_views.index, name="index"),
    path("<str:code>/", public_views.board, name="board"),
    path("<str:code>/<year:year>/", public_views.notice, name="notice"),
    path("<str:code>/<year:year>/objection/<int:pk>/", public_views.objection, name="objection"),
]
