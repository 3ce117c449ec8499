"""Small assertions shared by the tests."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse


def assert_invalid(obj, field: str, fragment: str):
    """full_clean() rejects ``obj`` with a message on ``field`` that contains ``fragment``."""
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    errors = caught.value.message_dict
    assert field in errors, f"expected an error on {field!r}, got {errors}"
    assert any(fragment in message for message in errors[field]), errors[field]


def as_posted(page) -> dict:
    """What the browser would send back for an admin change page, untouched."""
    forms = [page.context["adminform"].form]
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = value if isinstance(value, list) else str(value)
    return data


# -- the kept reports (core/reportcache.py) ----------------------------------------------------


def report_pages(world) -> dict:
    """Every cached report's page, by the report's name."""
    round_pk = world["round"].pk
    return {
        "dashboard": reverse("dashboard"),
        "briefing": reverse("reports:round_briefing", args=[round_pk]),
        "continuity": reverse("reports:topic_continuity"),
        "overlap": reverse("reports:topic_overlap"),
        "coverage": reverse("reports:coverage"),
        "engagement": reverse("reports:engagement"),
        "translation_gap": reverse("reports:translation_gap"),
        "case_answers": reverse("reports:case_answers"),
        "board": reverse("followup:board"),
    }
