# ruff: noqa: F811 - the officer fixtures are imported from test_delegation_pages
"""A delegation member's own page, attacked: other rounds' and sides' members in its address,
hidden records, heads, tampered posts, and the side page's new rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.lookups import label
from core.models import SecurityMarking, Side
from stakeholders.models import Delegation, DelegationMember
from tests.rounds.factories import RoundFactory
from tests.stakeholders.factories import (
    DelegationFactory,
    DelegationMemberFactory,
    PersonFactory,
)
from tests.stakeholders.test_delegation_pages import (  # noqa: F401
    member_posted,
    member_url,
    officer,
    officer_client,
    posted,
    save,
    url,
)

pytestmark = pytest.mark.django_db

HEAD, MEMBER = DelegationMember.Role.HEAD, DelegationMember.Role.MEMBER
PA, PB = SecurityMarking.PROTECTED_A, SecurityMarking.PROTECTED_B


def test_a_member_of_another_side_or_round_is_not_found(officer_client):
    round_ = RoundFactory()
    lead = DelegationFactory(round=round_, side=Side.LEAD)
    partner = DelegationFactory(round=round_, side=Side.PARTNER)
    theirs = DelegationMemberFactory(delegation=partner)
    ours = DelegationMemberFactory(delegation=lead)
    other_round = DelegationFactory(round=RoundFactory(), side=Side.LEAD)
    elsewhere = DelegationMemberFactory(delegation=other_round)
    base = url(round_)
    assert officer_client.get(f"{base}lead/members/{theirs.pk}/").status_code == 404
    assert officer_client.get(f"{base}lead/members/{elsewhere.pk}/").status_code == 404
    assert officer_client.get(f"{base}nope/members/{ours.pk}/").status_code == 404
    assert officer_client.get(f"{base}lead/members/99999999999999999999/").status_code == 404
    assert (
        officer_client.get(
            f"/stakeholders/rounds/99999999999999999999/delegations/lead/members/{ours.pk}/"
        ).status_code
        == 404
    )
    assert officer_client.get(f"{base}lead/members/abc/").status_code == 404
    # Posting another side's member, through ours or through an unknown id.
    opened = officer_client.get(member_url(ours))
    data = member_posted(
        opened,
        **{"lead-members-0-id": theirs.pk, "lead-members-0-position_at_time": "Moved"},
    )
    refused = officer_client.post(member_url(ours), data)
    assert refused.status_code == 400
    data = member_posted(opened, **{"lead-members-0-position_at_time": "Moved"})
    refused = officer_client.post(f"{base}lead/members/{theirs.pk}/", data)
    assert refused.status_code in (400, 404)
    refused = officer_client.post(f"{base}partner/members/{ours.pk}/", data)
    assert refused.status_code in (400, 404)
    assert not DelegationMember.objects.filter(position_at_time="Moved").exists()


def test_a_side_not_recorded_yet_and_hidden_ones_are_not_found(officer_client):
    round_ = RoundFactory()
    hidden = DelegationFactory(round=round_, side=Side.PARTNER, security_marking=PB)
    member = DelegationMemberFactory(delegation=hidden)
    assert officer_client.get(member_url(member)).status_code == 404
    assert officer_client.post(member_url(member), {}).status_code == 404
    lead_member_pk = member.pk
    assert officer_client.get(f"{url(round_)}lead/members/{lead_member_pk}/").status_code == 404
    secret = PersonFactory(full_name="CANARY secret", security_marking=PB)
    lead = DelegationFactory(round=round_, side=Side.LEAD)
    hidden_person = DelegationMemberFactory(delegation=lead, person=secret)
    response = officer_client.get(member_url(hidden_person))
    assert response.status_code == 404
    assert "CANARY" not in response.text


@pytest.mark.parametrize("role", ["analyst", "planner", "case_officer", None])
def test_only_recorders_may_open_a_member(client, make_user, role):
    member = DelegationMemberFactory(delegation=DelegationFactory(round=RoundFactory()))
    if role is not None:
        client.force_login(make_user("someone", role, clearance="protected_b"))
    response = client.get(member_url(member))
    assert response.status_code in (302, 403)
    data = {
        "lead-members-TOTAL_FORMS": "1",
        "lead-members-INITIAL_FORMS": "1",
        "lead-members-0-id": member.pk,
        "lead-members-0-DELETE": "on",
    }
    assert client.post(member_url(member), data).status_code in (302, 403)
    assert DelegationMember.objects.filter(pk=member.pk).exists()


def test_a_new_row_or_other_rows_posted_to_a_member_page_are_refused(officer_client):
    round_ = RoundFactory()
    lead = DelegationFactory(round=round_)
    member = DelegationMemberFactory(delegation=lead)
    other = DelegationMemberFactory(delegation=lead)
    newcomer = PersonFactory()
    opened = officer_client.get(member_url(member))
    data = member_posted(
        opened,
        **{
            "lead-members-TOTAL_FORMS": 2,
            "lead-members-1-person": label(newcomer),
        },
    )
    assert officer_client.post(member_url(member), data).status_code == 400
    data = member_posted(
        opened,
        **{
            "lead-members-TOTAL_FORMS": 2,
            "lead-members-INITIAL_FORMS": 2,
            "lead-members-1-id": other.pk,
            "lead-members-1-DELETE": "on",
        },
    )
    assert officer_client.post(member_url(member), data).status_code == 400
    data = member_posted(
        opened,
        **{
            "lead-members-INITIAL_FORMS": 0,
            "lead-members-0-id": None,
            "lead-members-0-person": label(newcomer),
        },
    )
    assert officer_client.post(member_url(member), data).status_code == 400
    data = member_posted(opened, **{"lead-members-TOTAL_FORMS": 0, "lead-members-INITIAL_FORMS": 0})
    assert officer_client.post(member_url(member), data).status_code == 400
    assert officer_client.post(member_url(member), {}).status_code == 400
    assert lead.members.count() == 2
    assert not DelegationMember.objects.filter(person=newcomer).exists()


def test_a_member_page_cannot_change_a_hidden_head(officer_client):
    round_ = RoundFactory()
    hidden_head = PersonFactory(full_name="CANARY head", security_marking=PB)
    lead = DelegationFactory(round=round_, head=hidden_head)
    DelegationMemberFactory(delegation=lead, person=hidden_head, role=HEAD)
    shown = DelegationMemberFactory(delegation=lead)
    opened = officer_client.get(member_url(shown))
    assert "CANARY" not in opened.text
    data = member_posted(opened, **{"lead-members-0-is_head": "on"})
    assert officer_client.post(member_url(shown), data).status_code == 302
    lead.refresh_from_db()
    assert lead.head == hidden_head
    assert DelegationMember.objects.get(pk=shown.pk).role == MEMBER


def test_a_head_marked_above_the_delegation_is_refused_on_the_member_page(officer_client):
    round_ = RoundFactory()
    lead = DelegationFactory(round=round_)
    protected = DelegationMemberFactory(
        delegation=lead, person__full_name="Protected one", person__security_marking=PA
    )
    opened = officer_client.get(member_url(protected))
    data = member_posted(opened, **{"lead-members-0-is_head": "on"})
    refused = officer_client.post(member_url(protected), data)
    assert refused.status_code == 400
    assert "is marked Protected A, above this delegation" in refused.text
    lead.refresh_from_db()
    assert lead.head is None


def test_removing_the_head_member_leaves_no_head(officer_client):
    round_ = RoundFactory()
    head = PersonFactory()
    lead = DelegationFactory(round=round_, head=head)
    heading = DelegationMemberFactory(delegation=lead, person=head, role=HEAD)
    opened = officer_client.get(member_url(heading))
    data = member_posted(opened, **{"lead-members-0-DELETE": "on"})
    assert officer_client.post(member_url(heading), data).status_code == 302
    lead.refresh_from_db()
    assert lead.head is None
    assert not lead.members.exists()
    page = officer_client.get(url(round_))
    assert "is recorded as the head but is not among the members" not in page.text
    assert "No member recorded yet." in page.text


def test_changing_the_heads_row_to_another_person_and_unticking_leaves_no_head(officer_client):
    """The head's row, changed to another person with the head box unticked: the head is no
    longer a member, so the delegation has no head (as when the row is removed)."""
    round_ = RoundFactory()
    head, other = PersonFactory(full_name="Old head"), PersonFactory(full_name="Replacement")
    lead = DelegationFactory(round=round_, head=head)
    heading = DelegationMemberFactory(delegation=lead, person=head, role=HEAD)
    opened = officer_client.get(member_url(heading))
    data = member_posted(
        opened,
        **{"lead-members-0-person": label(other), "lead-members-0-is_head": None},
    )
    assert officer_client.post(member_url(heading), data).status_code == 302
    lead.refresh_from_db()
    assert lead.head is None
    assert DelegationMember.objects.get(pk=heading.pk).role == MEMBER


def test_naming_the_outside_head_on_a_row_does_not_clear_the_head(officer_client):
    """A member corrected to the person recorded as head (outside the members), head box left
    unticked: the head stays, now among the members."""
    round_ = RoundFactory()
    head = PersonFactory(full_name="Outside head")
    lead = DelegationFactory(round=round_, head=head)
    someone = DelegationMemberFactory(delegation=lead)
    opened = officer_client.get(member_url(someone))
    data = member_posted(opened, **{"lead-members-0-person": label(head)})
    assert officer_client.post(member_url(someone), data).status_code == 302
    lead.refresh_from_db()
    assert lead.head == head


def test_a_new_row_naming_an_existing_member_says_so(officer_client):
    round_ = RoundFactory()
    lead = DelegationFactory(round=round_)
    existing = DelegationMemberFactory(delegation=lead, person__full_name="Already there")
    page = officer_client.get(url(round_))
    data = posted(page, "lead", **{"lead-members-0-person": label(existing.person)})
    refused = save(officer_client, round_, data)
    assert refused.status_code == 400
    assert "This person is already in this delegation." in refused.text
    assert "Someone else saved this delegation at the same moment" not in refused.text
    assert lead.members.count() == 1


def test_a_member_corrected_to_another_members_person_says_so(officer_client):
    round_ = RoundFactory()
    lead = DelegationFactory(round=round_)
    first = DelegationMemberFactory(delegation=lead)
    second = DelegationMemberFactory(delegation=lead)
    opened = officer_client.get(member_url(second))
    data = member_posted(opened, **{"lead-members-0-person": label(first.person)})
    refused = officer_client.post(member_url(second), data)
    assert refused.status_code == 400
    assert "This person is already in this delegation." in refused.text
    assert "Someone else saved this delegation at the same moment" not in refused.text


def test_a_new_head_row_with_a_head_among_members_moves_the_head(officer_client):
    round_ = RoundFactory()
    head = PersonFactory()
    lead = DelegationFactory(round=round_, head=head)
    DelegationMemberFactory(delegation=lead, person=head, role=HEAD)
    newcomer = PersonFactory()
    page = officer_client.get(url(round_))
    data = posted(
        page,
        "lead",
        **{"lead-members-0-person": label(newcomer), "lead-members-0-is_head": "on"},
    )
    assert save(officer_client, round_, data).status_code == 302
    lead.refresh_from_db()
    assert lead.head == newcomer
    assert dict(lead.members.values_list("person_id", "role")) == {
        head.pk: MEMBER,
        newcomer.pk: HEAD,
    }


def test_the_member_page_in_french(officer_client):
    round_ = RoundFactory()
    member = DelegationMemberFactory(delegation=DelegationFactory(round=round_))
    page = officer_client.get(f"/fr{member_url(member)}")
    assert page.status_code == 200
    for english in ("A member of the delegation", "Back to the delegations", "Record marking"):
        assert english not in page.text
    side = officer_client.get(f"/fr{url(round_)}")
    for english in ("Correct or remove", "New members", "No member recorded yet"):
        assert english not in side.text


def test_the_member_page_takes_the_same_queries(officer_client):
    round_ = RoundFactory()
    lead = DelegationFactory(round=round_)
    member = DelegationMemberFactory(delegation=lead)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert officer_client.get(member_url(member)).status_code == 200
        return len(captured)

    queries()
    few = queries()
    for _ in range(6):
        DelegationMemberFactory(delegation=lead)
        DelegationMemberFactory(delegation=DelegationFactory(round=RoundFactory()))
    assert queries() == few


def test_removing_the_last_member_and_a_stale_delegation(officer_client):
    round_ = RoundFactory()
    lead = DelegationFactory(round=round_)
    only = DelegationMemberFactory(delegation=lead)
    opened = officer_client.get(member_url(only))
    data = member_posted(opened, **{"lead-members-0-DELETE": "on"})
    lead.delete()
    assert officer_client.post(member_url(only), data).status_code == 404
    assert Delegation.objects.count() == 0


def test_tampered_ids_and_management_forms_are_refused_not_a_500(officer_client):
    round_ = RoundFactory()
    lead = DelegationFactory(round=round_)
    member = DelegationMemberFactory(delegation=lead)
    opened = officer_client.get(member_url(member))
    for changes in (
        {"lead-members-0-id": "99999999999999999999"},
        {"lead-members-0-id": "abc"},
        {"lead-members-0-id": None},
        {"lead-members-TOTAL_FORMS": "abc"},
        {"lead-members-INITIAL_FORMS": "5", "lead-members-TOTAL_FORMS": "5"},
        {"lead-members-TOTAL_FORMS": "100000"},
        {"lead-members-0-person": "99999999999999999999"},
        {"lead-members-0-role": "head"},
    ):
        data = member_posted(opened, **changes)
        response = officer_client.post(member_url(member), data)
        assert response.status_code == 400, changes
    assert DelegationMember.objects.get(pk=member.pk).role == MEMBER
    page = officer_client.get(url(round_))
    data = posted(page, "lead", **{"lead-members-INITIAL_FORMS": "1", "lead-members-0-id": "1e9"})
    assert save(officer_client, round_, data).status_code == 400


def test_removing_a_plain_last_member_keeps_the_outside_head(officer_client):
    round_ = RoundFactory()
    head = PersonFactory(full_name="Outside head")
    lead = DelegationFactory(round=round_, head=head)
    only = DelegationMemberFactory(delegation=lead)
    opened = officer_client.get(member_url(only))
    data = member_posted(opened, **{"lead-members-0-DELETE": "on"})
    assert officer_client.post(member_url(only), data).status_code == 302
    lead.refresh_from_db()
    assert lead.head == head and not lead.members.exists()
    page = officer_client.get(url(round_))
    assert "Outside head is recorded as the head but is not among the members" in page.text
    assert officer_client.get(member_url(only)).status_code == 404
