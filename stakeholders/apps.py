from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = _("Stakeholders")

    def ready(self):
        from core.registry import register_page_part
        from stakeholders import search, selectors

        # What the site-wide search and the lookup boxes find here (core/registry.py).
        search.register()
        # Their parts of other apps' pages (core/registry.py).
        register_page_part("round", selectors.round_part)
        register_page_part("dialogue", selectors.dialogue_part)
