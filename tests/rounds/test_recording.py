"""Dialogue officers record a round in the product: the round, its agenda with what each side
said, its commitments, and what carries over from the round before."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.lookups import label
from core.models import SecurityMarking, Side
from rounds.models import AgendaItem, Commitment, Material, Round, SiteVisit, Topic
from tests.rounds.documents import PDF, TXT, upload
from tests.rounds.factories import (
    AgendaItemFactory,
    CommitmentFactory,
    DialogueFactory,
    MaterialFactory,
    RoundFactory,
    SiteVisitFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user("olivia", "officer", clearance="protected_a")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def posted(page, section: str, **changes) -> dict:
    """What the browser sends back for one section of the recording page, or for the row
    opened on its own page, with `changes`."""
    if "sections" in page.context:
        (form,) = [s.form for s in page.context["sections"] if s.name == section]
    else:
        assert page.context["section"] == section
        form = page.context["form"]
    forms = [form] if section == "details" else [form.management_form, *form.forms]
    data = {}
    for part in forms:
        for field in part:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = value if isinstance(value, list) else str(value)
    data.update({key: str(value) for key, value in changes.items()})
    return data


def test_an_officer_creates_the_next_round_from_the_dialogue_page(officer_client):
    dialogue = DialogueFactory(name="Canada–China Joint Committee", slug="ca-cn")
    RoundFactory(dialogue=dialogue, number=9, start_date=datetime.date(2005, 2, 1))
    page = officer_client.get(dialogue.get_absolute_url())
    assert f'href="/rounds/new/?dialogue={dialogue.slug}"' in page.text
    form = officer_client.get(f"/rounds/new/?dialogue={dialogue.slug}")
    assert form.status_code == 200
    assert form.context["form"].initial["number"] == 10
    response = officer_client.post(
        "/rounds/new/",
        {
            "dialogue": dialogue.pk,
            "number": 10,
            "status": "planned",
            "start_date": "2027-09-14",
            "date_precision": "day",
            "cities": "Ottawa",
            "host_country": "CA",
            "security_marking": "unclassified",
        },
    )
    round_ = Round.objects.get(dialogue=dialogue, number=10)
    assert response.status_code == 302
    assert response["Location"] == f"/rounds/{round_.pk}/edit/"
    assert round_.created_by.username == "olivia"


def test_other_roles_are_not_offered_recording_and_are_refused(analyst_client):
    round_ = RoundFactory()
    assert "Record this round" not in analyst_client.get(round_.get_absolute_url()).text
    assert analyst_client.get(f"/rounds/{round_.pk}/edit/").status_code == 403
    assert analyst_client.get(f"/rounds/new/?dialogue={round_.dialogue.slug}").status_code == 403
    refused = analyst_client.post(f"/rounds/{round_.pk}/edit/agenda/", {})
    assert refused.status_code == 403


def test_the_details_section_saves_alone_and_refuses_a_stale_save(officer_client):
    round_ = RoundFactory(cities="Ottawa")
    page = officer_client.get(f"/rounds/{round_.pk}/edit/")
    assert page.status_code == 200
    data = posted(page, "details", **{"round-cities": "Beijing, Lhasa"})
    saved = officer_client.post(f"/rounds/{round_.pk}/edit/details/", data)
    assert saved.status_code == 302
    assert saved["Location"].endswith("#details")
    round_.refresh_from_db()
    assert round_.cities == "Beijing, Lhasa"
    # The same page sent again carries the version it was shown: someone has saved since.
    stale = officer_client.post(
        f"/rounds/{round_.pk}/edit/details/", {**data, "round-cities": "Whitehorse"}
    )
    assert stale.status_code == 400
    assert "Someone else saved this record" in stale.text
    assert "Beijing, Lhasa" in stale.text  # what changed is named
    assert 'value="Whitehorse"' in stale.text  # and the entry is kept
    round_.refresh_from_db()
    assert round_.cities == "Beijing, Lhasa"


def test_an_agenda_item_is_recorded_with_topics_a_new_topic_and_what_each_side_said(
    officer_client,
):
    round_ = RoundFactory()
    torture = TopicFactory(name="Torture prevention")
    page = officer_client.get(f"/rounds/{round_.pk}/edit/")
    data = posted(
        page,
        "agenda",
        **{
            "agenda-0-title": "Prevention of torture in detention",
            "agenda-0-order": 1,
            "agenda-0-segment": "thematic",
            "agenda-0-agenda_status": "agreed",
            "agenda-0-topics": label(torture),
            "agenda-0-new_topic": "Use of force by police",
            "agenda-0-our_points": "Asked for access to places of detention.",
            "agenda-0-partner_answer": "Said a new regulation is being drafted.",
            "agenda-0-security_marking": "unclassified",
        },
    )
    response = officer_client.post(f"/rounds/{round_.pk}/edit/agenda/", data)
    assert response.status_code == 302, response.context and response.context["sections"]
    item = AgendaItem.objects.get(round=round_)
    assert item.our_points == "Asked for access to places of detention."
    assert item.partner_answer == "Said a new regulation is being drafted."
    assert {t.name for t in item.topics.all()} == {"Torture prevention", "Use of force by police"}
    assert Topic.objects.get(name="Use of force by police").created_by.username == "olivia"
    assert item.created_by.username == "olivia"
    shown = officer_client.get(round_.get_absolute_url()).text
    assert "Asked for access to places of detention." in shown
    assert "Said a new regulation is being drafted." in shown


def test_a_bad_agenda_row_is_refused_beside_the_field_and_nothing_is_lost(officer_client):
    round_ = RoundFactory()
    page = officer_client.get(f"/rounds/{round_.pk}/edit/")
    data = posted(
        page,
        "agenda",
        **{
            "agenda-0-title": "",
            "agenda-0-order": 1,
            "agenda-0-segment": "thematic",
            "agenda-0-agenda_status": "agreed",
            "agenda-0-topics": "No such topic at all",
            "agenda-0-our_points": "Points we must not lose",
            "agenda-0-security_marking": "unclassified",
        },
    )
    response = officer_client.post(f"/rounds/{round_.pk}/edit/agenda/", data)
    assert response.status_code == 400
    assert "was not saved" in response.text
    assert "Nothing you may see is called “No such topic at all”" in response.text
    assert "Points we must not lose" in response.text
    assert not AgendaItem.objects.exists()


def test_a_commitment_needs_evidence_once_it_is_no_longer_open(officer_client):
    round_ = RoundFactory()
    item = AgendaItemFactory(round=round_, title="Legal aid")
    page = officer_client.get(f"/rounds/{round_.pk}/edit/")
    fields = {
        "commitments-0-side": Side.PARTNER,
        "commitments-0-undertaken_by": "Ministry of Justice",
        "commitments-0-agenda_item": item.pk,
        "commitments-0-text": "Send the draft legal aid regulation",
        "commitments-0-due_date": "2027-06-30",
        "commitments-0-status": "met",
        "commitments-0-security_marking": "unclassified",
    }
    refused = officer_client.post(
        f"/rounds/{round_.pk}/edit/commitments/", posted(page, "commitments", **fields)
    )
    assert refused.status_code == 400
    assert "needs its evidence" in refused.text
    assert "Send the draft legal aid regulation" in refused.text
    fields["commitments-0-evidence"] = "Received through the embassy in May."
    saved = officer_client.post(
        f"/rounds/{round_.pk}/edit/commitments/", posted(page, "commitments", **fields)
    )
    assert saved.status_code == 302
    commitment = Commitment.objects.get()
    assert commitment.agenda_item == item
    assert commitment.status_changed_on is not None
    shown = officer_client.get(round_.get_absolute_url()).text
    assert "Send the draft legal aid regulation" in shown
    assert f'id="commitment-{commitment.pk}"' in shown


def test_an_agenda_item_of_another_round_cannot_carry_a_commitment(officer_client):
    round_ = RoundFactory()
    elsewhere = AgendaItemFactory()
    page = officer_client.get(f"/rounds/{round_.pk}/edit/")
    data = posted(
        page,
        "commitments",
        **{
            "commitments-0-side": Side.LEAD,
            "commitments-0-agenda_item": elsewhere.pk,
            "commitments-0-text": "Host a visit",
            "commitments-0-status": "open",
            "commitments-0-security_marking": "unclassified",
        },
    )
    response = officer_client.post(f"/rounds/{round_.pk}/edit/commitments/", data)
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert not Commitment.objects.exists()


def test_last_rounds_items_are_offered_and_carried_with_one_click(officer_client):
    dialogue = DialogueFactory()
    before = RoundFactory(dialogue=dialogue, start_date=datetime.date(2005, 2, 1))
    review = AgendaItemFactory(round=before, title="Overall review", segment="overall_review")
    review.topics.add(TopicFactory(name="Overall review of the situation"))
    AgendaItemFactory(round=before, title="Cases of concern", segment="concerns")
    round_ = RoundFactory(dialogue=dialogue, start_date=datetime.date(2027, 9, 14))
    AgendaItemFactory(round=round_, title="cases of  concern")  # already on this agenda
    page = officer_client.get(f"/rounds/{round_.pk}/edit/")
    assert [item.title for item in page.context["carried"]] == ["Overall review"]
    response = officer_client.post(f"/rounds/{round_.pk}/carry/{review.pk}/")
    assert response.status_code == 302
    carried = AgendaItem.objects.get(round=round_, title="Overall review")
    assert carried.segment == "overall_review"
    assert [t.name for t in carried.topics.all()] == ["Overall review of the situation"]
    assert officer_client.get(f"/rounds/{round_.pk}/edit/").context["carried"] == []
    # Only an item of an earlier round of the same dialogue can be carried.
    stranger = AgendaItemFactory()
    assert officer_client.post(f"/rounds/{round_.pk}/carry/{stranger.pk}/").status_code == 404


def test_rows_above_the_officers_clearance_are_neither_shown_nor_touched(officer_client):
    round_ = RoundFactory()
    shown = AgendaItemFactory(round=round_, title="Open item")
    secret = AgendaItemFactory(
        round=round_, title="Sensitive canary item", security_marking=SecurityMarking.PROTECTED_B
    )
    hidden = CommitmentFactory(
        round=round_, text="Canary undertaking", security_marking=SecurityMarking.PROTECTED_B
    )
    page = officer_client.get(f"/rounds/{round_.pk}/edit/")
    assert "Sensitive canary item" not in page.text
    assert "Canary undertaking" not in page.text
    assert f"/edit/agenda/{secret.pk}/" not in page.text
    assert 'value="protected_b"' not in page.text  # cannot file a row above their clearance
    for section, row in (("agenda", secret), ("commitments", hidden)):
        opened = officer_client.get(f"/rounds/{round_.pk}/edit/{section}/{row.pk}/")
        assert opened.status_code == 404
    row = f"/rounds/{round_.pk}/edit/agenda/{shown.pk}/"
    assert f'href="{row}"' in page.text  # opened on its own to be corrected or removed
    data = posted(officer_client.get(row), "agenda", **{"agenda-0-DELETE": "on"})
    assert officer_client.post(row, data).status_code == 302
    assert list(AgendaItem.objects.filter(round=round_)) == [secret]
    assert Commitment.objects.filter(round=round_).count() == 1


def test_commitments_show_on_their_topic_and_the_dashboard_and_in_the_api(officer_client):
    round_ = RoundFactory(status="held", start_date=datetime.date(2005, 2, 1))
    item = AgendaItemFactory(round=round_)
    topic = TopicFactory()
    item.topics.add(topic)
    partner = CommitmentFactory(round=round_, agenda_item=item, text="Invite the rapporteur")
    ours = CommitmentFactory(round=round_, side=Side.LEAD, text="Fund a legal aid workshop")
    CommitmentFactory(
        round=round_, text="Hidden canary promise", security_marking=SecurityMarking.PROTECTED_B
    )
    topic_page = officer_client.get(topic.get_absolute_url()).text
    assert "Invite the rapporteur" in topic_page
    assert "Hidden canary promise" not in topic_page
    dashboard = officer_client.get(f"/?dialogue={round_.dialogue.slug}").text
    assert "Invite the rapporteur" in dashboard
    assert "Fund a legal aid workshop" in dashboard
    assert "Hidden canary promise" not in dashboard
    listed = officer_client.get(f"/api/v1/commitments/?round={round_.pk}").json()
    assert {row["text"] for row in listed["results"]} == {partner.text, ours.text}


def test_the_recording_page_takes_the_same_queries_whatever_the_round_holds(officer_client):
    round_ = RoundFactory()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert officer_client.get(f"/rounds/{round_.pk}/edit/").status_code == 200
        return len(captured)

    AgendaItemFactory(round=round_).topics.add(TopicFactory())
    CommitmentFactory(round=round_)
    MaterialFactory(round=round_)
    SiteVisitFactory(round=round_).topics.add(TopicFactory())
    queries()  # once, so that caches of the process (content types) are warm
    few = queries()
    for _ in range(6):
        item = AgendaItemFactory(round=round_)
        item.topics.add(TopicFactory(), TopicFactory())
        CommitmentFactory(round=round_, agenda_item=item)
        MaterialFactory(round=round_)
        SiteVisitFactory(round=round_).topics.add(TopicFactory(), TopicFactory())
    assert queries() == few


def test_a_material_is_uploaded_in_english_and_chinese_from_the_recording_page(
    officer_client, materials_store
):
    round_ = RoundFactory()
    page = officer_client.get(f"/rounds/{round_.pk}/edit/")
    assert 'enctype="multipart/form-data"' in page.text
    data = posted(
        page,
        "materials",
        **{
            "materials-0-title": "Statement on legal aid",
            "materials-0-provided_by": Side.LEAD,
            "materials-0-kind": "other",
            "materials-0-shared_in_advance": "on",
            "materials-0-security_marking": "unclassified",
        },
    )
    data["materials-0-file_en"] = upload("statement.pdf", PDF)
    data["materials-0-file_zh"] = upload("statement-zh.txt", TXT)
    response = officer_client.post(f"/rounds/{round_.pk}/edit/materials/", data)
    assert response.status_code == 302, response.content[:3000]
    material = Material.objects.get(round=round_)
    assert (material.in_english, material.in_french, material.in_chinese) == (True, False, True)
    assert material.created_by.username == "olivia"
    download = officer_client.get(material.file_url("zh"))
    assert b"".join(download.streaming_content) == TXT


def test_a_wrong_file_is_refused_beside_its_field_and_the_row_is_kept(
    officer_client, materials_store
):
    round_ = RoundFactory()
    page = officer_client.get(f"/rounds/{round_.pk}/edit/")
    data = posted(
        page,
        "materials",
        **{
            "materials-0-title": "A paper we keep",
            "materials-0-provided_by": Side.PARTNER,
            "materials-0-kind": "other",
            "materials-0-security_marking": "unclassified",
        },
    )
    data["materials-0-file_fr"] = upload("papier.pdf", b"MZ this is not a PDF")
    response = officer_client.post(f"/rounds/{round_.pk}/edit/materials/", data)
    assert response.status_code == 400
    assert "A paper we keep" in response.text
    assert not Material.objects.exists()


def test_a_site_visit_is_recorded_with_its_topics(officer_client):
    round_ = RoundFactory()
    topic = TopicFactory(name="Prison conditions")
    page = officer_client.get(f"/rounds/{round_.pk}/edit/")
    data = posted(
        page,
        "visits",
        **{
            "visits-0-city": "Lhasa",
            "visits-0-country": "CN",
            "visits-0-purpose": "A prison visit",
            "visits-0-topics": label(topic),
            "visits-0-security_marking": "unclassified",
        },
    )
    response = officer_client.post(f"/rounds/{round_.pk}/edit/visits/", data)
    assert response.status_code == 302
    visit = SiteVisit.objects.get(round=round_)
    assert visit.city == "Lhasa"
    assert list(visit.topics.all()) == [topic]


@pytest.mark.parametrize("section", ["details", "agenda", "materials", "visits", "commitments"])
def test_a_tampered_or_empty_post_is_refused_with_a_message_not_an_error(officer_client, section):
    round_ = RoundFactory()
    response = officer_client.post(f"/rounds/{round_.pk}/edit/{section}/", {"junk": "x"})
    assert response.status_code == 400
    assert "was not saved" in response.text
    assert officer_client.post(f"/rounds/{round_.pk}/edit/nonsense/", {}).status_code == 403
    assert officer_client.get(f"/rounds/{round_.pk}/carry/1/").status_code == 405


@pytest.mark.parametrize(
    ("section", "fields"),
    [
        ("agenda", {"title": "Canary item", "order": 1, "segment": "thematic"}),
        ("commitments", {"side": "partner", "text": "Canary promise", "status": "open"}),
        ("visits", {"city": "Canary city", "country": "CN"}),
        ("materials", {"title": "Canary paper", "provided_by": "lead", "kind": "other"}),
    ],
)
def test_a_row_cannot_be_marked_below_its_round(officer_client, section, fields):
    round_ = RoundFactory(security_marking=SecurityMarking.PROTECTED_A)
    page = officer_client.get(f"/rounds/{round_.pk}/edit/")
    (form,) = [s.form for s in page.context["sections"] if s.name == section]
    assert form.forms[-1]["security_marking"].value() == "protected_a"  # starts at the round's
    changes = {f"{section}-0-{name}": value for name, value in fields.items()}
    changes[f"{section}-0-security_marking"] = "unclassified"
    response = officer_client.post(
        f"/rounds/{round_.pk}/edit/{section}/", posted(page, section, **changes)
    )
    assert response.status_code == 400
    assert "Mark it at least as its round is marked: Protected A." in response.text
    # The page sent back shows the round's records: it is labelled as the page was.
    assert "Security marking: Protected A" in response.text
    assert not round_.agenda_items.exists() and not round_.commitments.exists()


def test_a_new_topic_needs_a_letter_or_a_digit(officer_client):
    round_ = RoundFactory()
    page = officer_client.get(f"/rounds/{round_.pk}/edit/")
    data = posted(
        page,
        "agenda",
        **{
            "agenda-0-title": "An item",
            "agenda-0-order": 1,
            "agenda-0-segment": "thematic",
            "agenda-0-agenda_status": "agreed",
            "agenda-0-new_topic": "!!!",
            "agenda-0-security_marking": "unclassified",
        },
    )
    response = officer_client.post(f"/rounds/{round_.pk}/edit/agenda/", data)
    assert response.status_code == 400
    assert "needs at least one letter or digit" in response.text
    assert not Topic.objects.filter(name="!!!").exists()


def test_the_lookup_box_escapes_its_value_and_gives_its_hint_in_the_readers_language(
    officer_client,
):
    """The lookup box (core.lookups.LookupInput, drawn by Jinja2): a topic's name is text, never
    markup, and the hint under the box is in the page's language."""
    round_ = RoundFactory()
    AgendaItemFactory(round=round_, topics=[TopicFactory(name="<script>alert(1)</script>")])
    english = officer_client.get(f"/rounds/{round_.pk}/edit/")
    assert english.status_code == 200
    assert "<script>alert(1)" not in english.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in english.text  # the item, as recorded
    assert "Type part of a name and pick a suggestion; separate several with" in english.text
    item = english.context["sections"][1].rows[0]
    row = officer_client.get(f"/rounds/{round_.pk}/edit/agenda/{item.pk}/")
    assert "<script>alert(1)" not in row.text
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt; (#' in row.text
    french = officer_client.get(f"/fr/rounds/{round_.pk}/edit/")
    assert "<script>alert(1)" not in french.text
    assert "Tapez une partie d’un nom et choisissez une suggestion" in french.text
    assert "Type part of a name" not in french.text


def test_a_recorded_row_is_opened_on_its_own_page_and_only_from_its_own_round(
    officer_client, make_user
):
    """The recording page lists what is recorded; each row opens on its own page, saved
    there alone, with its version checked. No other round's row, section or reader."""
    round_, other = RoundFactory(), RoundFactory()
    item = AgendaItemFactory(round=round_, title="Freedom of religion")
    theirs = AgendaItemFactory(round=other, title="Not this round's")
    promise = CommitmentFactory(round=round_, text="Send the regulation")
    page = officer_client.get(f"/rounds/{round_.pk}/edit/")
    assert "Freedom of religion" in page.text and "Send the regulation" in page.text
    assert 'name="agenda-0-title"' in page.text and 'name="agenda-0-id"' in page.text
    assert page.context["sections"][1].form.initial_form_count() == 0  # a new row only
    row = f"/rounds/{round_.pk}/edit/agenda/{item.pk}/"
    opened = officer_client.get(row)
    assert opened.status_code == 200
    assert 'value="Freedom of religion"' in opened.text
    saved = officer_client.post(
        row, posted(opened, "agenda", **{"agenda-0-title": "Freedom of religion or belief"})
    )
    assert saved.status_code == 302
    assert saved["Location"] == f"/rounds/{round_.pk}/edit/#agenda"
    item.refresh_from_db()
    assert item.title == "Freedom of religion or belief"
    assert item.updated_by.username == "olivia"
    # A commitment is versioned: a save made on a page opened before another save is refused.
    row = f"/rounds/{round_.pk}/edit/commitments/{promise.pk}/"
    opened = officer_client.get(row)
    Commitment.objects.get(pk=promise.pk).save()  # someone else, meanwhile
    stale = officer_client.post(
        row, posted(opened, "commitments", **{"commitments-0-text": "Send it now"})
    )
    assert stale.status_code == 400
    assert "Someone else saved this record" in stale.text
    assert "Send it now" in stale.text  # the entry is kept
    assert Commitment.objects.get(pk=promise.pk).text == "Send the regulation"
    assert officer_client.get(f"/rounds/{round_.pk}/edit/agenda/{theirs.pk}/").status_code == 404
    assert officer_client.get(f"/rounds/{round_.pk}/edit/details/{item.pk}/").status_code == 403
    assert officer_client.get(f"/rounds/{round_.pk}/edit/nonsense/{item.pk}/").status_code == 403
    analyst = Client()
    analyst.force_login(make_user("ana", "analyst"))
    assert analyst.get(f"/rounds/{round_.pk}/edit/agenda/{item.pk}/").status_code == 403
