from django.urls import path

from xingyao.briefings import views

app_name = "briefings"
urlpatterns = [
    path("", views.briefing_list, name="list"),
    path("new/", views.briefing_new, name="new"),
    path("<int:pk>/", views.briefing_detail, name="detail"),
    path("<int:pk>/next-steps/", views.next_steps, name="next_steps"),
    path("<int:pk>/issue/", views.issue, name="issue"),
    path("<int:pk>/compare/", views.compare, name="compare"),
    path("<int:pk>/briefing.docx", views.docx, name="docx"),
    path("<int:pk>/briefing.pdf", views.pdf, name="pdf"),
]
