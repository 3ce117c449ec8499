"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path

from dialogue import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("search/", views.search, name="search"),
    path("history/recent/", views.recent_changes, name="recent_changes"),
    path(
        "history/<slug:app_label>/<slug:model_name>/<int:pk>/",
        views.record_history,
        name="record_history",
    ),
    path("audit/access/", views.access_log, name="access_log"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("rounds.urls")),
    path("stakeholders/", include("stakeholders.urls")),
    path("followup/", include("followup.urls")),
]
