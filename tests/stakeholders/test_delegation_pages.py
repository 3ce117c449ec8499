"""Dialogue officers record a round's delegations in the product: each side on its own, the head
chosen once among the members, last round's members confirmed rather than typed again."""

import datetime

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

import stakeholders.forms
from core.lookups import label
from core.models import SecurityMarking, Side
from stakeholders.models import Delegation, DelegationMember
from tests.rounds.factories import DialogueFactory, RoundFactory
from tests.stakeholders.factories import (
    DelegationFactory,
    DelegationMemberFactory,
    OrganizationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

HEAD, MEMBER = DelegationMember.Role.HEAD, DelegationMember.Role.MEMBER
PB = SecurityMarking.PROTECTED_B


@pytest.fixture
def officer(make_user):
    return make_user("olivia", "officer", clearance="protected_a")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def url(round_) -> str:
    return f"/stakeholders/rounds/{round_.pk}/delegations/"


def recording(page, side):
    (found,) = [r for _name, r, _bound in page.context["recordings"] if r.side.side == side]
    return found


def posted(page, side: str, **changes) -> dict:
    """What the browser sends back for one side's form, with `changes` (None unticks a box)."""
    found = recording(page, side)
    forms = [found.form, found.members.management_form, *found.members.forms, found.carried]
    return sent(forms, {"side": side}, changes)


def sent(forms, data: dict, changes: dict) -> dict:
    """What the browser sends back for these forms, with `changes` (None unticks a box)."""
    for part in forms:
        for field in part:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else str(value)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = str(value)
    return data


def save(client, round_, data):
    return client.post(url(round_), data)


def member_url(member) -> str:
    """A recorded member's own page, where they are corrected, made head or removed."""
    delegation = member.delegation
    return f"{url(delegation.round)}{delegation.side}/members/{member.pk}/"


def member_posted(page, **changes) -> dict:
    """What the browser sends back from a member's own page, with `changes` (None unticks)."""
    members = page.context["recording"].members
    return sent([members.management_form, *members.forms], {}, changes)


def test_an_officer_records_each_side_on_its_own(officer_client):
    round_ = RoundFactory(dialogue=DialogueFactory(lead_party="CA", partner_party="CN"))
    minister = PersonFactory(full_name="Jean Tremblay", position="Assistant Deputy Minister")
    justice = OrganizationFactory(name="Department of Justice")
    page = officer_client.get(url(round_))
    assert page.status_code == 200
    assert "Canada" in page.text
    assert "China" in page.text
    data = posted(
        page,
        "lead",
        **{
            "lead-head_title": "Assistant Deputy Minister, Asia",
            "lead-head_rank": Delegation.HeadRank.ASSISTANT_MINISTER,
            "lead-members-0-person": label(minister),
            "lead-members-0-organization": label(minister.organization),
            "lead-members-0-is_head": "on",
            "lead-members-0-position_at_time": "ADM Asia",
            "lead-members-1-organization": label(justice),
            "lead-members-1-role": DelegationMember.Role.PRESENTER,
        },
    )
    response = save(officer_client, round_, data)
    assert response.status_code == 302
    assert response["Location"] == f"{url(round_)}#lead"
    lead = Delegation.objects.get(round=round_, side=Side.LEAD)
    assert lead.head == minister
    assert lead.head_title == "Assistant Deputy Minister, Asia"
    assert lead.created_by.username == "olivia"
    members = {(m.person, m.organization, m.role, m.position_at_time) for m in lead.members.all()}
    assert members == {
        (minister, minister.organization, HEAD, "ADM Asia"),
        (None, justice, DelegationMember.Role.PRESENTER, ""),
    }
    assert not Delegation.objects.filter(side=Side.PARTNER).exists()  # saved on its own

    page = officer_client.get(url(round_))
    assert "Saved: Canada." in page.text
    foreign = OrganizationFactory(name="Ministry of Foreign Affairs", country="CN")
    data = posted(page, "partner", **{"partner-members-0-organization": label(foreign)})
    assert save(officer_client, round_, data).status_code == 302
    partner = Delegation.objects.get(round=round_, side=Side.PARTNER)
    assert [m.organization for m in partner.members.all()] == [foreign]
    assert Delegation.objects.get(pk=lead.pk).members.count() == 2  # the other side untouched
    shown = officer_client.get(round_.get_absolute_url()).text
    assert "Jean Tremblay" in shown
    assert "Ministry of Foreign Affairs" in shown


def test_the_head_is_chosen_once_among_the_members_and_the_roles_follow(officer_client):
    round_ = RoundFactory()
    first, second = PersonFactory(full_name="First Head"), PersonFactory(full_name="Second")
    delegation = DelegationFactory(round=round_, side=Side.LEAD, head=first)
    heading = DelegationMemberFactory(delegation=delegation, person=first, role=HEAD)
    other = DelegationMemberFactory(delegation=delegation, person=second, role=MEMBER)
    page = officer_client.get(url(round_))
    assert [str(m) for m in recording(page, "lead").rows] == ["First Head", "Second"]
    assert f'href="{member_url(heading)}"' in page.text
    assert 'value="head"' not in page.text
    pages = [officer_client.get(member_url(m)) for m in (heading, other)]
    rows = [p.context["recording"].members.forms[0] for p in pages]
    assert [row["is_head"].value() for row in rows] == [True, False]
    assert "head" not in dict(rows[0].fields["role"].choices)  # never typed as a role
    assert all('value="head"' not in p.text for p in pages)

    # Ticked on another member's own page: they head the delegation, the first no longer.
    data = member_posted(pages[1], **{"lead-members-0-is_head": "on"})
    assert officer_client.post(member_url(other), data).status_code == 302
    delegation.refresh_from_db()
    assert delegation.head == second
    roles = dict(delegation.members.values_list("person__full_name", "role"))
    assert roles == {"First Head": MEMBER, "Second": HEAD}

    # Unticked on the head's own page: the delegation has none, and no member is recorded as head.
    page = officer_client.get(member_url(other))
    assert page.context["recording"].members.forms[0]["is_head"].value() is True
    data = member_posted(page, **{"lead-members-0-is_head": None})
    assert officer_client.post(member_url(other), data).status_code == 302
    delegation.refresh_from_db()
    assert delegation.head is None
    assert not delegation.members.filter(role=HEAD).exists()


def test_a_member_recorded_as_head_becomes_the_head_and_a_new_row_can_head(officer_client):
    round_ = RoundFactory()
    delegation = DelegationFactory(round=round_, side=Side.PARTNER, head=None)
    old = PersonFactory(full_name="Recorded as head only")
    recorded = DelegationMemberFactory(delegation=delegation, person=old, role=HEAD)
    newcomer = PersonFactory(full_name="Newcomer")
    opened = officer_client.get(member_url(recorded))
    assert opened.context["recording"].members.forms[0]["is_head"].value() is True
    page = officer_client.get(url(round_))
    data = posted(
        page,
        "partner",
        **{
            "partner-members-0-person": label(newcomer),
            "partner-members-0-is_head": "on",
        },
    )
    assert save(officer_client, round_, data).status_code == 302
    delegation.refresh_from_db()
    assert delegation.head == newcomer
    roles = dict(delegation.members.values_list("person__full_name", "role"))
    assert roles == {"Recorded as head only": MEMBER, "Newcomer": HEAD}


def test_last_rounds_members_are_offered_and_confirmed_with_the_head_preoffered(officer_client):
    dialogue = DialogueFactory()
    before = RoundFactory(dialogue=dialogue, number=9, start_date=datetime.date(2005, 2, 1))
    round_ = RoundFactory(dialogue=dialogue, number=10, start_date=datetime.date(2027, 9, 14))
    RoundFactory(dialogue=dialogue, number=11, start_date=datetime.date(2028, 9, 14))
    earlier = DelegationFactory(round=before, side=Side.PARTNER)
    vice = PersonFactory(full_name="Li Wei")
    earlier.head = vice
    earlier.save()
    DelegationMemberFactory(
        delegation=earlier, person=vice, role=HEAD, position_at_time="Vice-minister"
    )
    returning = DelegationMemberFactory(delegation=earlier, person__full_name="Already here")
    procuratorate = OrganizationFactory(name="Supreme People's Procuratorate")
    DelegationMemberFactory(
        delegation=earlier,
        person=None,
        organization=procuratorate,
        role=DelegationMember.Role.PRESENTER,
        position_at_time="Prosecutor",
    )
    DelegationMemberFactory(
        delegation=earlier, person__full_name="Secret attendee", person__security_marking=PB
    )
    DelegationMemberFactory(delegation=DelegationFactory(round=before, side=Side.LEAD))
    current = DelegationFactory(round=round_, side=Side.PARTNER)
    DelegationMemberFactory(delegation=current, person=returning.person)

    page = officer_client.get(url(round_))
    carried = recording(page, "partner").carried
    offered = [str(confirm.label) for _member, confirm, _head in carried.rows()]
    assert offered == [
        "Confirm Li Wei (Vice-minister)",
        "Confirm Supreme People's Procuratorate (Prosecutor)",
    ]
    assert "Secret attendee" not in page.text
    assert carried[f"carry_{vice.delegation_memberships.get().pk}_head"].value() is True
    ticks = {f"partner-carried-carry_{member.pk}": "on" for member, _c, _h in carried.rows()}
    assert save(officer_client, round_, posted(page, "partner", **ticks)).status_code == 302

    current.refresh_from_db()
    assert current.head == vice
    members = {
        (m.person_id, m.organization, m.role, m.position_at_time) for m in current.members.all()
    }
    assert members == {
        (vice.pk, vice.organization, HEAD, "Vice-minister"),
        (None, procuratorate, DelegationMember.Role.PRESENTER, "Prosecutor"),
        (returning.person_id, returning.organization, MEMBER, ""),
    }
    again = officer_client.get(url(round_))
    assert list(recording(again, "partner").carried.rows()) == []
    # The round's page measures the continuity: every member attended round 9.
    assert "3 of 3 members attended it" in officer_client.get(round_.get_absolute_url()).text


def test_a_confirmed_member_is_not_made_head_unless_the_box_stays_ticked(officer_client):
    dialogue = DialogueFactory()
    before = RoundFactory(dialogue=dialogue, start_date=datetime.date(2005, 2, 1))
    round_ = RoundFactory(dialogue=dialogue, start_date=datetime.date(2006, 2, 1))
    earlier = DelegationFactory(round=before, side=Side.LEAD)
    head = DelegationMemberFactory(delegation=earlier, role=HEAD)
    page = officer_client.get(url(round_))
    data = posted(
        page,
        "lead",
        **{f"lead-carried-carry_{head.pk}": "on", f"lead-carried-carry_{head.pk}_head": None},
    )
    assert save(officer_client, round_, data).status_code == 302
    delegation = Delegation.objects.get(round=round_, side=Side.LEAD)
    assert delegation.head is None
    assert delegation.members.get().role == MEMBER


def test_bad_input_is_refused_beside_the_fields_and_nothing_is_lost(officer_client):
    round_ = RoundFactory()
    first, second = PersonFactory(full_name="Ann One"), PersonFactory(full_name="Bo Two")
    page = officer_client.get(url(round_))
    data = posted(
        page,
        "lead",
        **{
            "lead-head_title": "Title we must not lose",
            "lead-members-0-person": label(first),
            "lead-members-0-is_head": "on",
            "lead-members-1-person": label(second),
            "lead-members-1-is_head": "on",
        },
    )
    two_heads = save(officer_client, round_, data)
    assert two_heads.status_code == 400
    assert "This delegation was not saved" in two_heads.text
    assert two_heads.text.count("Tick “Head of delegation” for one member only.") == 2
    assert "Title we must not lose" in two_heads.text
    assert f'value="{label(second)}"' in two_heads.text

    data.update(
        {
            "lead-members-1-person": "Nobody by that name",
            "lead-members-1-is_head": "",
            "lead-members-2-person": "",
            "lead-members-2-position_at_time": "Interpreter for the day",
        }
    )
    data["lead-members-TOTAL_FORMS"] = "3"
    bad = save(officer_client, round_, data)
    assert bad.status_code == 400
    assert "Nothing you may see is called “Nobody by that name”" in bad.text
    assert "Give the person, the organization, or both." in bad.text
    assert "Interpreter for the day" in bad.text
    rows = recording(bad, "lead").members.forms
    assert "person" in rows[1].errors and "person" in rows[2].errors  # beside the fields
    assert not Delegation.objects.exists()
    assert not DelegationMember.objects.exists()


def test_a_person_twice_and_an_unnamed_head_are_refused(officer_client):
    round_ = RoundFactory()
    person = PersonFactory()
    page = officer_client.get(url(round_))
    data = posted(
        page,
        "lead",
        **{
            "lead-members-0-person": label(person),
            "lead-members-1-person": label(person),
        },
    )
    twice = save(officer_client, round_, data)
    assert twice.status_code == 400
    assert "This person is already in this delegation." in twice.text
    data = posted(
        page,
        "lead",
        **{
            "lead-members-0-organization": label(OrganizationFactory()),
            "lead-members-0-is_head": "on",
        },
    )
    unnamed = save(officer_client, round_, data)
    assert unnamed.status_code == 400
    assert "Only a named person can head the delegation" in unnamed.text
    assert not Delegation.objects.exists()


def test_a_head_marked_above_the_delegation_is_refused(officer_client):
    round_ = RoundFactory()
    protected = PersonFactory(full_name="Protected person", security_marking="protected_a")
    page = officer_client.get(url(round_))
    data = posted(
        page, "lead", **{"lead-members-0-person": label(protected), "lead-members-0-is_head": "on"}
    )
    refused = save(officer_client, round_, data)
    assert refused.status_code == 400
    assert "is marked Protected A, above this delegation" in refused.text
    data["lead-security_marking"] = "protected_a"
    assert save(officer_client, round_, data).status_code == 302
    assert Delegation.objects.get().head == protected


def test_a_delegation_is_marked_at_least_as_its_round(officer_client):
    round_ = RoundFactory(security_marking="protected_a")
    page = officer_client.get(url(round_))
    assert recording(page, "lead").form["security_marking"].value() == "protected_a"
    data = posted(page, "lead", **{"lead-security_marking": "unclassified"})
    refused = save(officer_client, round_, data)
    assert refused.status_code == 400
    assert "The round is marked Protected A: mark its delegation Protected A or higher." in (
        refused.text
    )
    assert not Delegation.objects.exists()


def test_a_head_recorded_outside_the_members_is_kept_and_pointed_out(officer_client):
    round_ = RoundFactory()
    head = PersonFactory(full_name="Recorded head")
    delegation = DelegationFactory(round=round_, head=head)
    someone = DelegationMemberFactory(delegation=delegation, person__full_name="Someone else")
    page = officer_client.get(url(round_))
    assert "Recorded head is recorded as the head but is not among the members" in page.text
    # Correcting another member keeps the head too.
    opened = officer_client.get(member_url(someone))
    data = member_posted(opened, **{"lead-members-0-position_at_time": "Adviser"})
    assert officer_client.post(member_url(someone), data).status_code == 302
    delegation.refresh_from_db()
    assert delegation.head == head
    page = officer_client.get(url(round_))
    data = posted(page, "lead", **{"lead-notes": "Checked"})
    assert save(officer_client, round_, data).status_code == 302
    delegation.refresh_from_db()
    assert delegation.head == head and delegation.notes == "Checked"


def test_a_member_someone_else_removed_is_reported_not_a_500(officer_client):
    round_ = RoundFactory()
    member = DelegationMemberFactory(delegation=DelegationFactory(round=round_))
    address = member_url(member)
    page = officer_client.get(address)
    data = member_posted(page, **{"lead-members-0-position_at_time": "Changed"})
    member.delete()
    response = officer_client.post(address, data)
    assert response.status_code == 400
    assert "Someone else removed this member while you were editing" in response.text


def test_records_above_the_officers_clearance_are_neither_shown_nor_touched(officer_client):
    round_ = RoundFactory()
    DelegationFactory(
        round=round_, side=Side.PARTNER, security_marking=PB, notes="CANARY partner notes"
    )
    hidden_head = PersonFactory(full_name="CANARY hidden head", security_marking=PB)
    lead = DelegationFactory(round=round_, side=Side.LEAD, head=hidden_head)
    kept = DelegationMemberFactory(delegation=lead, person=hidden_head, role=HEAD)
    shown = DelegationMemberFactory(delegation=lead, person__full_name="Open member")
    page = officer_client.get(url(round_))
    assert page.status_code == 200
    assert "CANARY" not in page.text
    assert "Save “China”" not in page.text  # the hidden side is not even named
    assert 'id="partner-title"' not in page.text
    assert [r.side.side for _n, r, _b in page.context["recordings"]] == ["lead"]
    assert "is_head" not in page.text  # a head the user may not see cannot be changed here
    assert "restricted record" in page.text
    assert officer_client.get(member_url(kept)).status_code == 404
    # Saving the lead side, and removing its only visible member, keeps the hidden one as it is.
    data = posted(page, "lead", **{"lead-notes": "Checked"})
    assert save(officer_client, round_, data).status_code == 302
    opened = officer_client.get(member_url(shown))
    assert "is_head" not in opened.text
    data = member_posted(opened, **{"lead-members-0-DELETE": "on"})
    assert officer_client.post(member_url(shown), data).status_code == 302
    lead.refresh_from_db()
    assert lead.head == hidden_head and lead.notes == "Checked"
    assert list(lead.members.all()) == [kept]
    assert DelegationMember.objects.get(pk=kept.pk).role == HEAD
    assert not DelegationMember.objects.filter(pk=shown.pk).exists()
    # The hidden side cannot be written to, nor a marking above the officer's be chosen.
    refused = officer_client.post(url(round_), {"side": "partner", "partner-notes": "x"})
    assert refused.status_code == 404
    assert 'value="protected_b"' not in page.text
    hidden_round = RoundFactory(security_marking=PB)
    assert officer_client.get(url(hidden_round)).status_code == 404


def test_only_officers_and_administrators_may_record_delegations(client, analyst, administrator):
    round_ = RoundFactory()
    assert client.get(url(round_)).status_code == 302  # to sign in
    client.force_login(analyst)
    assert client.get(url(round_)).status_code == 403
    assert client.post(url(round_), {"side": "lead"}).status_code == 403
    assert "Record the delegations" not in client.get(round_.get_absolute_url()).text
    assert not Delegation.objects.exists()
    client.force_login(administrator)
    assert client.get(url(round_)).status_code == 200


def test_the_round_pages_link_to_the_delegations(officer_client):
    round_ = RoundFactory()
    link = f'href="{url(round_)}"'
    assert link in officer_client.get(round_.get_absolute_url()).text
    assert link in officer_client.get(f"/rounds/{round_.pk}/edit/").text
    assert link not in officer_client.get(f"/reports/rounds/{round_.pk}/briefing/").text


def test_the_page_takes_the_same_queries_whatever_the_delegations_hold(officer_client):
    dialogue = DialogueFactory()
    before = RoundFactory(dialogue=dialogue, start_date=datetime.date(2005, 2, 1))
    round_ = RoundFactory(dialogue=dialogue, start_date=datetime.date(2006, 2, 1))
    delegations = [
        DelegationFactory(round=r, side=side)
        for r in (before, round_)
        for side in (Side.LEAD, Side.PARTNER)
    ]

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert officer_client.get(url(round_)).status_code == 200
        return len(captured)

    for delegation in delegations:
        DelegationMemberFactory(delegation=delegation)
    queries()  # once, so that caches of the process (content types) are warm
    few = queries()
    for delegation in delegations:
        for _ in range(5):
            DelegationMemberFactory(delegation=delegation)
        DelegationMemberFactory(
            delegation=delegation, person=None, organization=OrganizationFactory()
        )
    assert queries() == few


def test_a_page_opened_before_someone_else_changed_the_head_cannot_change_it_back(officer_client):
    """A member's page posts "Head of delegation" as it was when it was opened: a save that
    would change the head from such a page is refused, and one that leaves it alone goes
    through."""
    round_ = RoundFactory()
    first, second = PersonFactory(full_name="First Head"), PersonFactory(full_name="Second")
    delegation = DelegationFactory(round=round_, side=Side.LEAD, head=first)
    heading = DelegationMemberFactory(delegation=delegation, person=first, role=HEAD)
    other = DelegationMemberFactory(delegation=delegation, person=second, role=MEMBER)
    third = DelegationMemberFactory(delegation=delegation, person__full_name="Third")
    stale_head = officer_client.get(member_url(heading))  # ticked: First heads it
    stale_third = officer_client.get(member_url(third))
    # Meanwhile, on another page, Second is made head.
    fresh = officer_client.get(member_url(other))
    data = member_posted(fresh, **{"lead-members-0-is_head": "on"})
    assert officer_client.post(member_url(other), data).status_code == 302
    # The stale page of First, still ticked, would make First head again: refused.
    data = member_posted(stale_head, **{"lead-members-0-position_at_time": "Director"})
    refused = officer_client.post(member_url(heading), data)
    assert refused.status_code == 400
    assert "Someone else changed who heads this delegation" in refused.text
    assert 'value="Director"' in refused.text  # the entry is kept
    delegation.refresh_from_db()
    assert delegation.head == second
    assert DelegationMember.objects.get(pk=heading.pk).position_at_time == ""
    # A stale page that leaves the head alone saves.
    data = member_posted(stale_third, **{"lead-members-0-position_at_time": "Adviser"})
    assert officer_client.post(member_url(third), data).status_code == 302
    delegation.refresh_from_db()
    assert delegation.head == second
    assert DelegationMember.objects.get(pk=third.pk).position_at_time == "Adviser"
    # A page opened now carries the head it shows.
    page = officer_client.get(url(round_))
    assert f'name="lead-members-0-head_seen" value="{second.pk}"' in page.text


def test_a_member_changed_meanwhile_is_neither_overwritten_nor_removed(officer_client, make_user):
    """Two officers correcting the same delegation: the second to save or remove a member the
    first has changed since their page was opened is told what changed, and neither their
    change nor their removal overwrites it."""
    from django.test import Client

    other = Client()
    other.force_login(make_user("otto", "officer", clearance="protected_a"))
    member = DelegationMemberFactory(delegation=DelegationFactory(round=RoundFactory()))
    address = member_url(member)
    page = officer_client.get(address)
    edit = member_posted(page, **{"lead-members-0-position_at_time": "Deputy minister"})
    removal = member_posted(page, **{"lead-members-0-DELETE": "on"})
    theirs = member_posted(
        other.get(address), **{"lead-members-0-position_at_time": "Vice-minister"}
    )
    assert other.post(address, theirs).status_code == 302

    for data in (edit, removal):
        refused = officer_client.post(address, data)
        assert refused.status_code == 400
        assert "(by otto)" in refused.text
        assert DelegationMember.objects.get(pk=member.pk).position_at_time == "Vice-minister"

    # Having seen the change, saving again applies the officer's entry on top of it.
    again = officer_client.post(address, {**edit, "lead-members-0-expected_version": "2"})
    assert again.status_code == 302
    assert DelegationMember.objects.get(pk=member.pk).position_at_time == "Deputy minister"


# -- a save racing the page's own (core.submissions.saving_once) --------------------------------

RACED = "Someone else saved this delegation at the same moment"


@pytest.fixture
def racing(monkeypatch):
    """Someone else's save of each member being saved commits just after the page's check."""
    stamp = stakeholders.forms.stamp

    def stamp_after_a_racing_save(record, user, **kwargs):
        if isinstance(record, DelegationMember) and record.pk:
            DelegationMember.objects.filter(pk=record.pk).update(version=F("version") + 1)
        return stamp(record, user, **kwargs)

    monkeypatch.setattr(stakeholders.forms, "stamp", stamp_after_a_racing_save)


def test_a_member_saved_meanwhile_on_its_own_page_is_said_not_a_500(
    officer_client, racing, monkeypatch
):
    member = DelegationMemberFactory(
        delegation=DelegationFactory(round=RoundFactory()), position_at_time="Adviser"
    )
    opened = officer_client.get(member_url(member))
    data = member_posted(opened, **{"lead-members-0-position_at_time": "Senior adviser"})
    refused = officer_client.post(member_url(member), data)
    assert refused.status_code == 400
    assert RACED in refused.text
    assert 'value="Senior adviser"' in refused.text  # the entry is kept
    assert DelegationMember.objects.get(pk=member.pk).position_at_time == "Adviser"
    # Sent again from the page as it now is, once nobody else is saving: saved.
    monkeypatch.undo()
    again = officer_client.post(
        member_url(member),
        member_posted(
            officer_client.get(member_url(member)),
            **{"lead-members-0-position_at_time": "Senior adviser"},
        ),
    )
    assert again.status_code == 302
    assert DelegationMember.objects.get(pk=member.pk).position_at_time == "Senior adviser"
