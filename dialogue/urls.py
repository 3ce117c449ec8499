"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path

from dialogue import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("search/", views.search, name="search"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("rounds.urls")),
    path("stakeholders/", include("stakeholders.urls")),
    path("followup/", include("followup.urls")),
]
