from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up")

    def ready(self):
        from followup import search

        # What the site-wide search and the lookup boxes find here (core/registry.py).
        search.register()
