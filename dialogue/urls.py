"""Root URL configuration."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from dialogue import lookups, views

# The API has one address whatever the language; the pages are English at their addresses and
# French under /fr/.
urlpatterns = [
    path("api/", include("api.urls")),
    path("lookup/<slug:kind>/", lookups.lookup, name="lookup"),
]
urlpatterns += i18n_patterns(
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
    prefix_default_language=False,
)

handler404 = "api.views.not_found"
handler500 = "api.views.server_error_handler"
