"""Every page of the product, with a URL built from a world of records (tests/world.py)."""

from django.urls import reverse


def page_urls(world) -> dict[str, str]:
    round_ = world["round"]
    return {
        "dashboard": reverse("dashboard"),
        "search": reverse("search") + "?q=Topic",
        "round_list": reverse("rounds:round_list"),
        "round_detail": round_.get_absolute_url(),
        "round_briefing": f"/rounds/{round_.pk}/briefing/",
        "round_briefing_docx": f"/rounds/{round_.pk}/briefing/?format=docx",
        "next_briefing": f"/rounds/{round_.pk}/briefing/next/",
        "dialogue_detail": round_.dialogue.get_absolute_url(),
        "topic_list": reverse("rounds:topic_list"),
        "topic_detail": world["topic"].get_absolute_url(),
        "topic_continuity": reverse("reports:topic_continuity"),
        "topic_overlap": reverse("reports:topic_overlap"),
        "organization_list": reverse("stakeholders:organization_list"),
        "organization_detail": world["organization"].get_absolute_url(),
        "person_list": reverse("stakeholders:person_list"),
        "person_detail": world["person"].get_absolute_url(),
        "consultation_list": reverse("stakeholders:consultation_list"),
        "engagement": reverse("reports:engagement"),
        "project_list": reverse("followup:project_list"),
        "project_detail": world["followupproject"].get_absolute_url(),
        "action_list": reverse("followup:action_list"),
        "board": reverse("followup:board"),
        "coverage": reverse("reports:coverage"),
        "action_overdue": reverse("followup:action_overdue"),
        "action_mine": reverse("followup:action_list") + "?mine=true",
        "action_detail": world["followupaction"].get_absolute_url(),
        "benchmark_list": reverse("followup:benchmark_list"),
        "benchmark_detail": world["benchmark"].get_absolute_url(),
        "translation_gap": reverse("reports:translation_gap"),
    }


PAGES = [
    "dashboard",
    "search",
    "round_list",
    "round_detail",
    "round_briefing",
    "round_briefing_docx",
    "next_briefing",
    "dialogue_detail",
    "topic_list",
    "topic_detail",
    "topic_continuity",
    "topic_overlap",
    "organization_list",
    "organization_detail",
    "person_list",
    "person_detail",
    "consultation_list",
    "engagement",
    "project_list",
    "project_detail",
    "action_list",
    "board",
    "coverage",
    "action_overdue",
    "action_mine",
    "action_detail",
    "benchmark_list",
    "benchmark_detail",
    "translation_gap",
]


def case_page_urls(world) -> dict[str, str]:
    return {
        "case_list": reverse("rounds:case_list"),
        "case_detail": world["caseofconcern"].get_absolute_url(),
        "case_answers": reverse("reports:case_answers"),
        "case_mark_released": reverse(
            "rounds:case_mark_released", args=[world["caseofconcern"].pk]
        ),
    }


# Pages for Case officers only.
CASE_PAGES = ["case_list", "case_detail", "case_answers", "case_mark_released"]
