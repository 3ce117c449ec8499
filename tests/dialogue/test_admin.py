"""Every model's admin pages render for an administrator, with a query count that stays fixed
as the tables grow."""

import datetime

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rounds.models import Round, Topic
from tests.rounds.factories import DialogueFactory
from tests.world import build_world

pytestmark = pytest.mark.django_db

OUR_APPS = {"rounds", "stakeholders", "followup"}
MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in OUR_APPS),
    key=lambda model: model._meta.label,
)
PAGES = ["changelist", "add", "change", "history"]


def url_for(model, page, obj):
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"
    return reverse(name, args=[obj.pk] if page in ("change", "history") else [])


def count_queries(client, url) -> int:
    client.get(url)  # warm per-process caches (content types, the session) before counting
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(queries)


def test_every_domain_model_has_an_admin():
    assert {model._meta.model_name for model in MODELS} == set(build_world())


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_its_pages_render_with_a_fixed_query_count(admin_client, model):
    obj = build_world()[model._meta.model_name]
    urls = [url_for(model, page, obj) for page in PAGES]
    small = {url: count_queries(admin_client, url) for url in urls}
    for _ in range(4):
        build_world()
    large = {url: count_queries(admin_client, url) for url in urls}
    assert small == large, f"queries with one world: {small}; with five: {large}"


def test_the_round_changelist_lists_the_rounds(admin_client):
    world = build_world()
    response = admin_client.get(reverse("admin:rounds_round_changelist"))
    assert str(world["round"]) in response.text


def test_saving_in_the_admin_records_who_and_keeps_history(admin_client, administrator):
    response = admin_client.post(
        reverse("admin:rounds_topic_add"),
        {"name": "Freedom of religion", "slug": "freedom-of-religion", "category": "religion"},
    )
    assert response.status_code == 302
    topic = Topic.objects.get(slug="freedom-of-religion")
    assert topic.created_by == administrator
    assert topic.updated_by == administrator
    assert topic.history.get().history_user == administrator


def test_the_admin_rejects_a_round_ending_before_it_starts(admin_client):
    dialogue = DialogueFactory()
    response = admin_client.post(
        reverse("admin:rounds_round_add"),
        {
            "dialogue": dialogue.pk,
            "number": 1,
            "status": "held",
            "start_date": "2005-11-01",
            "end_date": "2005-10-31",
            "date_precision": "day",
            "security_marking": "unclassified",
            **_empty_inlines(),
        },
    )
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.text
    assert not Round.objects.exists()


def test_inline_rows_are_stamped_with_their_author(admin_client, administrator):
    dialogue = DialogueFactory()
    inlines = _empty_inlines()
    inlines.update(
        {
            "agenda_items-TOTAL_FORMS": "1",
            "agenda_items-0-title": "Freedom of religion",
            "agenda_items-0-segment": "thematic",
            "agenda_items-0-agenda_status": "agreed",
            "agenda_items-0-order": "0",
            "agenda_items-0-security_marking": "unclassified",
        }
    )
    response = admin_client.post(
        reverse("admin:rounds_round_add"),
        {
            "dialogue": dialogue.pk,
            "number": 3,
            "status": "held",
            "start_date": datetime.date(1998, 11, 1).isoformat(),
            "date_precision": "month",
            "security_marking": "unclassified",
            **inlines,
        },
    )
    assert response.status_code == 302, response.text
    item = Round.objects.get().agenda_items.get()
    assert item.created_by == administrator


def _empty_inlines() -> dict:
    data = {}
    for prefix in ("agenda_items", "commitments", "site_visits", "delegations", "materials"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data
