from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    name = "rounds"
    verbose_name = _("Dialogues and rounds")

    def ready(self):
        from rounds import search

        # What the site-wide search and the lookup boxes find here (core/registry.py).
        search.register()
