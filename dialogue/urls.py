"""Root URL configuration."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import lookups, views
from dashboard import views as dashboard
from search import views as search

# Signing in and out, and changing one's own password. Django's password-reset views are left
# out: the product sends no account mail, and an open reset form would only probe addresses.
accounts = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

# The API has one address whatever the language; the pages are English at their addresses and
# French under /fr/.
urlpatterns = [
    path("api/", include("api.urls")),
    path("lookup/<slug:kind>/", lookups.lookup, name="lookup"),
]
urlpatterns += i18n_patterns(
    path("", dashboard.dashboard, name="dashboard"),
    path("search/", search.search, name="search"),
    path("history/recent/", views.recent_changes, name="recent_changes"),
    path(
        "history/<slug:app_label>/<slug:model_name>/<int:pk>/",
        views.record_history,
        name="record_history",
    ),
    path("audit/access/", views.access_log, name="access_log"),
    path("accounts/", include(accounts)),
    path("admin/", admin.site.urls),
    # Reports come first: "topics/continuity/" must not be taken for a topic's slug.
    path("", include("reports.urls")),
    path("", include("exchange.urls")),
    path("", include("rounds.urls")),
    path("stakeholders/", include("stakeholders.urls")),
    path("followup/", include("followup.urls")),
    prefix_default_language=False,
)

handler404 = "api.views.not_found"
handler500 = "api.views.server_error_handler"
