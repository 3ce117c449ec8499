"""What the base layout needs on every page: the main navigation."""

from django.urls import reverse, translate_url
from django.utils.translation import gettext_lazy as _

from dialogue.models import reader_language

NAVIGATION = [
    ("dashboard", _("Dashboard"), "dashboard"),
    ("rounds", _("Rounds"), "rounds:round_list"),
    ("topics", _("Topics"), "rounds:topic_list"),
    ("stakeholders", _("Stakeholders"), "stakeholders:organization_list"),
    ("followup", _("Follow-up"), "followup:project_list"),
    ("cases", _("Cases"), "rounds:case_list"),
    ("search", _("Search"), "search"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    section = _section(request)
    items = [
        {"key": key, "label": label, "url": reverse(name), "current": key == section}
        for key, label, name in NAVIGATION
        if key != "cases" or user.is_case_officer
    ]
    if user.is_administrator:
        items.append(
            {
                "key": "recent_changes",
                "label": _("Recent changes"),
                "url": reverse("recent_changes"),
                "current": section == "recent_changes",
            }
        )
    return {"main_navigation": items}


def _section(request) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    if match.namespace == "rounds":
        for prefix, section in (("topic", "topics"), ("case", "cases")):
            if match.url_name.startswith(prefix):
                return section
        return "rounds"
    return match.namespace or match.url_name


def languages(request):
    """The address of the same page in the other official language, for the header's toggle."""
    other = "en" if reader_language() == "fr" else "fr"
    return {"other_language_url": translate_url(request.get_full_path(), other)}
