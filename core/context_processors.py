"""What the base layout needs on every page: the main navigation."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from core.models import reader_language

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


# The navigation section each report belongs to (by its URL name in the "reports" namespace).
REPORT_SECTIONS = {
    "round_briefing": "rounds",
    "next_briefing": "rounds",
    "translation_gap": "rounds",
    "topic_continuity": "topics",
    "topic_overlap": "topics",
    "case_answers": "cases",
    "coverage": "followup",
    "engagement": "stakeholders",
}


def _section(request) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    if match.namespace == "reports":
        return REPORT_SECTIONS.get(match.url_name)
    if match.namespace == "exchange":
        return "rounds"
    if match.namespace == "rounds":
        for prefix, section in (("topic", "topics"), ("case", "cases")):
            if match.url_name.startswith(prefix):
                return section
        return "rounds"
    return match.namespace or match.url_name


def languages(request):
    """The address of the same page in the other official language, for the header's toggle.

    Built only by reversing the view the request resolved to, never from the address as typed:
    `//evil.example/` or `/\\evil.example` would otherwise come back as a link off the site. A
    page that resolved to no view (a 404) offers the other language's dashboard."""
    other = "en" if reader_language() == "fr" else "fr"
    with override(other):
        path = _same_page(getattr(request, "resolver_match", None))
        if path is None:
            return {"other_language_url": reverse("dashboard")}
    query = request.META.get("QUERY_STRING", "")
    return {"other_language_url": f"{path}?{query}" if query else path}


def _same_page(match) -> str | None:
    if match is None or match.url_name is None:
        return None
    try:
        return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    except NoReverseMatch:
        return None
