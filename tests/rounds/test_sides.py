"""A side of a dialogue is named by its party ("Canada", "China"), not "Lead party" or
"Partner party": on the round, case, person, dialogue and project pages, in the recording
forms' choices, and in both languages (Dialogue.side_name, the side_of filter)."""

import pytest
from django.utils import translation

from core.models import Side
from core.templatetags.dialogue_tags import side_of
from rounds.models import Dialogue
from tests.followup.factories import FollowUpProjectFactory
from tests.rounds.factories import (
    AgendaItemFactory,
    CaseOfConcernFactory,
    CaseRaisingFactory,
    CommitmentFactory,
    DialogueFactory,
    MaterialFactory,
    RoundFactory,
)
from tests.stakeholders.factories import DelegationFactory, DelegationMemberFactory

pytestmark = pytest.mark.django_db

OLD_LABELS = ("Lead party", "Partner party", "lead party", "partner party")


@pytest.fixture
def officer_client(client, make_user):
    client.force_login(make_user("olivia", "officer", clearance="protected_a"))
    return client


def test_a_dialogue_names_each_side_by_its_party_in_the_readers_language():
    dialogue = DialogueFactory.build(lead_party="CA", partner_party="CN")
    assert dialogue.side_name(Side.LEAD) == "Canada"
    assert dialogue.side_name(Side.PARTNER) == "China"
    assert dialogue.side_name(Side.JOINT) == "Canada and China"
    assert dialogue.side_name("") == ""
    with translation.override("fr"):
        assert dialogue.side_name(Side.PARTNER) == "Chine"
    other = DialogueFactory.build(lead_party="NO", partner_party="CN")
    assert other.side_name(Side.LEAD) == "Norway"
    # Without a dialogue (nothing to name the side by) the filter falls back to the label.
    assert side_of(None, Side.LEAD) == "Lead party"
    assert side_of(dialogue, "") == ""


def test_the_round_page_names_the_sides(officer_client):
    round_ = RoundFactory()
    AgendaItemFactory(
        round=round_,
        segment="concerns",
        raised_by=Side.PARTNER,
        proposed_by=Side.LEAD,
        our_points="Access to detention",
        partner_answer="A regulation is drafted",
    )
    CommitmentFactory(round=round_, side=Side.PARTNER, text="Answer the case list")
    MaterialFactory(round=round_, provided_by=Side.PARTNER, title="White paper")
    DelegationFactory(round=round_, side=Side.LEAD)
    page = officer_client.get(round_.get_absolute_url()).text
    assert "raised by China" in page
    assert "proposed by Canada" in page
    assert "China undertook:" in page
    assert "<td>White paper</td><td>China</td>" in page
    assert "<h3>Canada</h3>" in page
    assert not any(label in page for label in OLD_LABELS)


def test_the_round_page_in_french_names_the_sides_in_french(officer_client):
    round_ = RoundFactory()
    MaterialFactory(round=round_, provided_by=Side.PARTNER, title="Livre blanc")
    page = officer_client.get(f"/fr{round_.get_absolute_url()}").text
    assert "<td>Livre blanc</td><td>Chine</td>" in page
    assert "Partie partenaire" not in page


def test_the_recording_forms_offer_the_sides_by_name(officer_client):
    round_ = RoundFactory()
    page = officer_client.get(f"/rounds/{round_.pk}/edit/")
    (form,) = [s.form for s in page.context["sections"] if s.name == "agenda"]
    (row,) = form.forms
    assert [label for _v, label in row.fields["raised_by"].choices if _v] == [
        "Canada",
        "China",
        "Canada and China",
    ]
    assert not any(label in page.text for label in OLD_LABELS)


def test_other_pages_name_the_sides(officer_client, make_user, client):
    round_ = RoundFactory()
    delegation = DelegationFactory(round=round_, side=Side.PARTNER)
    member = DelegationMemberFactory(delegation=delegation, person__full_name="Li Ming")
    person = officer_client.get(member.person.get_absolute_url()).text
    assert "<td>China</td>" in person
    assert str(delegation).startswith("China — ")

    dialogue = officer_client.get(round_.dialogue.get_absolute_url()).text
    assert not any(label in dialogue for label in OLD_LABELS)

    project = FollowUpProjectFactory(proposed_by=Side.PARTNER)
    project.originating_rounds.add(round_)
    planner = make_user("pat", "planner", clearance="protected_a")
    client.force_login(planner)
    assert "<dd>China</dd>" in client.get(project.get_absolute_url()).text

    case_officer = make_user("cora", "case_officer", clearance="protected_b")
    client.force_login(case_officer)
    raising = CaseRaisingFactory(case=CaseOfConcernFactory(), round=round_, raised_by=Side.LEAD)
    assert "<td>Canada</td>" in client.get(raising.case.get_absolute_url()).text


def test_a_side_name_worked_out_once_follows_the_parties_and_the_language_as_they_change():
    """Dialogue.side_name keeps each name it works out: a party changed on the dialogue (in the
    same request, or reloaded), or the reader's language switched, is named afresh."""
    dialogue = DialogueFactory(lead_party="CA", partner_party="CN")
    assert dialogue.side_name(Side.JOINT) == "Canada and China"
    dialogue.lead_party = "NO"
    assert dialogue.side_name(Side.LEAD) == "Norway"
    assert dialogue.side_name(Side.JOINT) == "Norway and China"
    with translation.override("fr"):
        assert dialogue.side_name(Side.JOINT) == "Norvège et Chine"
    assert dialogue.side_name(Side.PARTNER) == "China"
    Dialogue.objects.filter(pk=dialogue.pk).update(partner_party="US")
    dialogue.refresh_from_db()
    assert dialogue.side_name(Side.LEAD) == "Canada"
    assert dialogue.side_name(Side.PARTNER) == "United States of America"
    # A dialogue read with its parties deferred names them as they are stored.
    deferred = Dialogue.objects.only("slug", "name").get(pk=dialogue.pk)
    assert deferred.side_name(Side.JOINT) == "Canada and United States of America"
