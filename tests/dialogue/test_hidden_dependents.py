"""Writes that would reach records above the writer's clearance: `delete_blocked_by_hidden` and
`keep_hidden` in core/access.py, and the product forms that use them."""

import pytest
from django.urls import reverse

from core.access import delete_blocked_by_hidden, keep_hidden
from followup.models import FollowUpProject
from tests.followup.factories import FollowUpActionFactory, FollowUpProjectFactory
from tests.helpers import as_posted
from tests.rounds.factories import RoundFactory
from tests.stakeholders.factories import DelegationMemberFactory, PersonFactory

pytestmark = pytest.mark.django_db

HIDDEN = "protected_b"


@pytest.fixture
def low(make_user):
    return make_user("uma", "planner", clearance="unclassified")


@pytest.fixture
def high(make_user):
    return make_user("hal", "planner", clearance=HIDDEN)


def test_a_cascade_to_a_hidden_record_blocks_the_delete(low, high):
    project = FollowUpProjectFactory()
    FollowUpActionFactory(project=project, security_marking=HIDDEN)
    assert delete_blocked_by_hidden(low, project)
    assert not delete_blocked_by_hidden(high, project)


def test_a_cascade_to_visible_records_only_does_not(low):
    project = FollowUpProjectFactory()
    FollowUpActionFactory(project=project)
    project.originating_rounds.add(RoundFactory())
    assert not delete_blocked_by_hidden(low, project)


def test_records_scoped_by_their_queryset_are_checked_through_it(low, high):
    # A membership has no marking of its own: it is hidden because the person named is.
    member = DelegationMemberFactory(person=PersonFactory(security_marking=HIDDEN))
    assert delete_blocked_by_hidden(low, member.delegation)
    assert not delete_blocked_by_hidden(high, member.delegation)


def test_unlinking_a_hidden_record_blocks_the_delete(low):
    round_ = RoundFactory()
    FollowUpProjectFactory(security_marking=HIDDEN).originating_rounds.add(round_)
    assert delete_blocked_by_hidden(low, round_)


def test_a_hidden_record_set_to_null_blocks_the_delete(low, high):
    person = PersonFactory()
    FollowUpActionFactory(owner_person=person, security_marking=HIDDEN)
    assert delete_blocked_by_hidden(low, person)
    assert not delete_blocked_by_hidden(high, person)


def test_keep_hidden_adds_the_hidden_links_to_what_was_submitted(low):
    seen, other, hidden = RoundFactory(), RoundFactory(), RoundFactory(security_marking=HIDDEN)
    project = FollowUpProjectFactory()
    project.originating_rounds.set([seen, hidden])
    kept = keep_hidden(low, project, "originating_rounds", [other])
    assert sorted(r.pk for r in kept) == sorted([other.pk, hidden.pk])
    assert keep_hidden(low, FollowUpProject(), "originating_rounds", [other]) == [other]


def test_the_project_form_keeps_hidden_originating_rounds(client, low):
    client.force_login(low)
    seen, hidden = RoundFactory(), RoundFactory(security_marking=HIDDEN)
    project = FollowUpProjectFactory(title="Legal aid")
    project.originating_rounds.set([seen, hidden])
    response = client.post(
        f"/followup/projects/{project.pk}/edit/",
        {
            "title": "Legal aid",
            "status": "proposed",
            "security_marking": "unclassified",
            "open_actions": "",
            "originating_rounds": [],
            "expected_version": project.version,
        },
    )
    assert response.status_code == 302
    assert list(project.originating_rounds.all()) == [hidden]


def test_a_product_form_without_the_version_is_refused(client, low):
    client.force_login(low)
    project = FollowUpProjectFactory(title="Legal aid")
    response = client.post(
        f"/followup/projects/{project.pk}/edit/",
        {"title": "Mine", "status": "proposed", "security_marking": "unclassified"},
    )
    assert response.status_code == 200
    assert "Version: this field is required to save a change" in response.text
    assert FollowUpProject.objects.get().title == "Legal aid"


def test_the_admin_keeps_hidden_links_and_adds_none(client, make_user):
    client.force_login(make_user("ada", "administrator", is_staff=True, clearance="unclassified"))
    seen, hidden, other_hidden = (
        RoundFactory(),
        RoundFactory(security_marking=HIDDEN),
        RoundFactory(security_marking=HIDDEN),
    )
    project = FollowUpProjectFactory(title="Legal aid")
    project.originating_rounds.set([seen, hidden])
    url = reverse("admin:followup_followupproject_change", args=[project.pk])
    form = as_posted(client.get(url))

    # A hidden record is not a choice: naming one is refused, and nothing changes.
    response = client.post(url, form | {"originating_rounds": [other_hidden.pk]})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert set(project.originating_rounds.all()) == {seen, hidden}

    # Unlinking the visible round keeps the hidden one linked.
    response = client.post(url, form | {"originating_rounds": []})
    assert response.status_code == 302
    assert list(project.originating_rounds.all()) == [hidden]
