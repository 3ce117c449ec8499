"""Hypothesis against the planners' forms: whatever a user types, a form either saves a record
that satisfies the database's rules or says what is wrong; it never crashes."""

import datetime
from collections import Counter

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup.forms import ActionForm, ProjectForm
from followup.models import FollowUpAction, FollowUpProject
from tests.world import build_world

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
typed = st.text(max_size=320)  # anything a keyboard or a paste can produce, NUL included
dates = st.one_of(
    st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)).map(str),
    st.sampled_from(["", "2003-02-30", "0000-01-01", "yesterday", "2004-13-01"]),
    typed,
)
numbers = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    typed,
)
MARKINGS = ["unclassified", "protected_a", "protected_b", ""]


@pytest.fixture
def planner(make_user):
    return make_user("pat", "planner", clearance="protected_a")


@pytest.fixture
def world():
    return build_world()


def keys(world, name) -> list[str]:
    """The key of the world's record, then keys of nothing or of nothing valid."""
    return [str(world[name].pk), "", "0", "999999999", "x"]


def entries_for(data, fields: dict) -> dict:
    """Either all plausible entries (the first strategy of each pair) or a mix with anything at
    all, so that both the saving and the refusing paths run."""
    careful = data.draw(st.booleans())
    return {
        name: data.draw(plausible if careful else st.one_of(plausible, anything))
        for name, (plausible, anything) in fields.items()
    }


def exercised(attempt_once, planner, world) -> Counter:
    outcomes = Counter()

    @SETTINGS
    @given(data=st.data())
    def attempt(data):
        outcomes[attempt_once(planner, world, data)] += 1

    attempt()
    return outcomes


def try_project(planner, world, data) -> str:
    statuses = [value for value, _label in FollowUpProject.Status.choices]
    entries = entries_for(
        data,
        {
            "title": (st.sampled_from(["Legal aid exchange", "狱政改革"]), typed),
            "reference": (st.sampled_from(["", "A-031"]), typed),
            "status": (st.sampled_from(["proposed", "approved"]), st.sampled_from(statuses)),
            "proposed_by": (st.sampled_from(["lead", "partner", ""]), typed),
            "lead_agency": (
                st.just(keys(world, "organization")[0]),
                st.sampled_from(keys(world, "organization")),
            ),
            "originating_rounds": (
                st.just([keys(world, "round")[0]]),
                st.lists(st.sampled_from(keys(world, "round")), max_size=2),
            ),
            "topics": (
                st.just([keys(world, "topic")[0]]),
                st.lists(st.sampled_from(keys(world, "topic")), max_size=2),
            ),
            "start_date": (st.sampled_from(["2003-01-01", ""]), dates),
            "end_date": (st.sampled_from(["2004-06-30", ""]), dates),
            "budget_cad": (st.sampled_from(["125000.50", ""]), numbers),
            "objectives": (st.just(""), typed),
            "security_marking": (st.sampled_from(MARKINGS[:2]), st.sampled_from(MARKINGS)),
            "open_actions": (st.sampled_from(["", "done", "dropped"]), typed),
        },
    )
    existing = data.draw(st.sampled_from([None, world["followupproject"].pk]))
    instance = FollowUpProject.objects.get(pk=existing) if existing else None
    if instance is not None:
        entries["expected_version"] = str(instance.version)
    form = ProjectForm(data=entries, instance=instance, user=planner)
    if form.is_valid():
        with transaction.atomic():
            saved = form.save()
            form.close()
        saved.full_clean()
        assert saved.security_marking in planner.visible_markings
        return "saved"
    assert form.errors  # it says what is wrong
    return "refused"


def try_action(planner, world, data) -> str:
    statuses = [value for value, _label in FollowUpAction.Status.choices]
    entries = entries_for(
        data,
        {
            "title": (st.sampled_from(["Send the legal texts", "寄送法律文本"]), typed),
            "description": (st.just(""), typed),
            "round": (st.just(keys(world, "round")[0]), st.sampled_from(keys(world, "round"))),
            "project": (st.just(""), st.sampled_from(keys(world, "followupproject"))),
            "owner_organization": (st.just(""), st.sampled_from(keys(world, "organization"))),
            "owner_person": (st.just(""), st.sampled_from(keys(world, "person"))),
            "due_date": (st.just("2030-01-01"), dates),
            "status": (st.sampled_from(["open", "in_progress"]), st.sampled_from(statuses)),
            "completed_on": (st.just(""), dates),
            "security_marking": (st.sampled_from(MARKINGS[:2]), st.sampled_from(MARKINGS)),
        },
    )
    form = ActionForm(data=entries, user=planner)
    if form.is_valid():
        with transaction.atomic():
            saved = form.save()
        saved.full_clean()
        return "saved"
    assert form.errors
    return "refused"


def test_the_project_form_saves_or_explains(planner, world):
    outcomes = exercised(try_project, planner, world)
    assert outcomes["saved"] and outcomes["refused"], outcomes  # both paths ran


def test_the_action_form_saves_or_explains(planner, world):
    outcomes = exercised(try_action, planner, world)
    assert outcomes["saved"] and outcomes["refused"], outcomes
