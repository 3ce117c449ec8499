from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up")

    def ready(self):
        from core.registry import register_list_annotation, register_page_part
        from followup import search, selectors

        # What the site-wide search and the lookup boxes find here (core/registry.py).
        search.register()
        # Their parts of other apps' pages (core/registry.py).
        register_page_part("round", selectors.round_part)
        register_page_part("topic", selectors.topic_part)
        register_page_part("organization", selectors.organization_part)
        register_list_annotation("topic", selectors.topic_annotations)
