from django.urls import path

app_name = "ledgers"
urlpatterns: list = []
