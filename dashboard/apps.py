from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The page a signed-in user lands on (an app for its cached report, dashboard/caching.py)."""

    name = "dashboard"
    verbose_name = _("Dashboard")
