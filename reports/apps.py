from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Reports that read across the domain apps (an app for its template tags)."""

    name = "reports"
    verbose_name = _("Reports")
