from django.urls import path

from xingyao.assessments import public_views

app_name = "public"
urlpatterns = [
    path("<str:code>/<int:year>/", public_views.notice, name="notice"),
    path("<str:code>/<int:year>/objection/<int:pk>/", public_views.objection, name="objection"),
]
