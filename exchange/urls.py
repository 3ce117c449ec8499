from django.urls import path

from exchange import views

app_name = "exchange"
urlpatterns = [
    path("rounds/dialogues/<slug:slug>/export/", views.dialogue_export, name="dialogue_export"),
]
