from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = _("Stakeholders")

    def ready(self):
        from stakeholders import search

        # What the site-wide search and the lookup boxes find here (core/registry.py).
        search.register()
