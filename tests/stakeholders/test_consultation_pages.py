"""Dialogue officers record NGO consultations around a round, with the requests made and the
answers given, in the product's own pages (/stakeholders/consultations/new/ and …/edit/)."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from core import submissions
from core.lookups import label
from stakeholders.models import Consultation, ConsultationRequest
from tests.rounds.factories import RoundFactory
from tests.stakeholders.factories import ConsultationFactory, OrganizationFactory
from tests.world import build_world

pytestmark = pytest.mark.django_db

NEW = "/stakeholders/consultations/new/"


def edit_url(consultation) -> str:
    return f"/stakeholders/consultations/{consultation.pk}/edit/"


@pytest.fixture
def officer(make_user):
    return make_user("olive", "officer", clearance="protected_b")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def round_():
    return RoundFactory(
        start_date=datetime.date(2005, 10, 31),
        end_date=datetime.date(2005, 11, 1),
        status="held",
        security_marking="unclassified",
    )


def no_requests(total=2, initial=0) -> dict:
    return {
        "requests-TOTAL_FORMS": str(total),
        "requests-INITIAL_FORMS": str(initial),
        "requests-MIN_NUM_FORMS": "0",
        "requests-MAX_NUM_FORMS": "1000",
    }


def consultation_data(round_, **overrides) -> dict:
    data = {
        "round": str(round_.pk),
        "kind": "debriefing",
        "date": "2005-11-20",
        "date_precision": "day",
        "format": "in_person",
        "location": "Ottawa",
        "convened_by": "",
        "organizations": "",
        "summary": "Debriefing on the ninth round.",
        "security_marking": "protected_a",
        **no_requests(),
    }
    data.update(overrides)
    return data


def request_row(index, text, *, answered=False, answer="", answered_on="", pk=None, **extra):
    row = {
        f"requests-{index}-text": text,
        f"requests-{index}-answer": answer,
        f"requests-{index}-answered_on": answered_on,
        f"requests-{index}-id": str(pk) if pk else "",
    }
    if answered:
        row[f"requests-{index}-answered"] = "on"
    row.update({f"requests-{index}-{key}": value for key, value in extra.items()})
    return row


# -- who may ---------------------------------------------------------------------------------------


def test_dialogue_officers_may_record_requests_and_every_role_may_read_them():
    officers = Group.objects.get(name="Dialogue officers").permissions
    assert {
        "add_consultation",
        "change_consultation",
        "add_consultationrequest",
        "change_consultationrequest",
        "delete_consultationrequest",
    } <= set(officers.values_list("codename", flat=True))
    for role in ["Analysts", "Follow-up planners", "Case officers"]:
        codenames = set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))
        assert "view_consultationrequest" in codenames
        assert "change_consultationrequest" not in codenames


def test_an_officer_answers_a_request_through_the_api_too(officer_client):
    consultation = ConsultationFactory(date=datetime.date(2005, 11, 20))
    request = ConsultationRequest.objects.create(consultation=consultation, text="Name the cases")
    response = officer_client.patch(
        f"/api/v1/consultation-requests/{request.pk}/",
        {"answer": "Sent by letter", "answered_on": "2005-12-01", "version": request.version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    request.refresh_from_db()
    assert request.answered and request.updated_by.username == "olive"


def test_the_pages_need_sign_in_and_the_officers_permissions(client, make_user, round_):
    consultation = ConsultationFactory(dialogue=round_.dialogue, round=round_)
    for url in [f"{NEW}?round={round_.pk}", edit_url(consultation)]:
        assert client.get(url).status_code == 302
    client.force_login(make_user("ann", "analyst", clearance="protected_b"))
    for url in [f"{NEW}?round={round_.pk}", edit_url(consultation)]:
        assert client.get(url).status_code == 403
        assert client.post(url, consultation_data(round_)).status_code == 403
    assert Consultation.objects.count() == 1


def test_the_round_page_offers_recording_and_editing_to_officers_only(
    officer_client, analyst, round_
):
    consultation = ConsultationFactory(
        dialogue=round_.dialogue, round=round_, date=datetime.date(2005, 11, 20)
    )
    page = officer_client.get(round_.get_absolute_url()).text
    assert f"{NEW}?round={round_.pk}" in page
    assert "Record a consultation" in page
    assert edit_url(consultation) in page
    reader = Client()
    reader.force_login(analyst)
    shown = reader.get(round_.get_absolute_url()).text
    assert NEW not in shown and edit_url(consultation) not in shown
    assert "Record a consultation" not in shown


# -- recording -------------------------------------------------------------------------------------


def test_an_officer_records_a_debriefing_with_the_requests_and_answers(officer_client, round_):
    amnesty, rights = OrganizationFactory(name="Amnesty"), OrganizationFactory(name="Rights")
    form = officer_client.get(f"{NEW}?round={round_.pk}")
    assert form.status_code == 200
    assert f'value="{escape(label(round_))}"' in form.text
    assert '<option value="protected_a" selected>' in form.text
    response = officer_client.post(
        f"{NEW}?round={round_.pk}",
        consultation_data(
            round_,
            organizations=f"{label(amnesty)}; {label(rights)}",
            convened_by=label(amnesty),
            **request_row(0, "Name the cases raised"),
            **request_row(
                1,
                "Share the agenda",
                answered=True,
                answer="Sent by e-mail",
                answered_on="2005-11-25",
            ),
        ),
        follow=True,
    )
    consultation = Consultation.objects.get()
    assert response.redirect_chain[-1][0] == round_.get_absolute_url()
    assert "Consultation “Post-dialogue debriefing, 2005-11-20” recorded." in response.text
    assert consultation.dialogue == round_.dialogue and consultation.round == round_
    assert set(consultation.organizations.all()) == {amnesty, rights}
    assert consultation.convened_by == amnesty
    assert consultation.created_by.username == "olive"
    requests = list(consultation.request_items.all())
    assert [(r.text, r.order, r.answered) for r in requests] == [
        ("Name the cases raised", 1, False),
        ("Share the agenda", 2, True),
    ]
    assert {r.created_by.username for r in requests} == {"olive"}
    assert "Name the cases raised — no answer yet" in response.text
    assert "Share the agenda — answered 2005-11-25" in response.text


def test_a_bad_entry_is_named_beside_its_field_and_every_entry_is_kept(officer_client, round_):
    response = officer_client.post(
        NEW,
        consultation_data(
            round_,
            date="2005-10-01",  # a debriefing before the round ended
            location="Room 101",
            **request_row(0, "Release the lawyers", answered=True),
            **request_row(1, "Answer in writing", answer="We will", answered_on="2005-09-01"),
        ),
    )
    assert response.status_code == 200
    text = response.text
    assert "The record was not saved" in text
    assert "A post-dialogue debriefing cannot come before the round ends." in text
    assert "Say what the answer was." in text and "Give the date the answer was given." in text
    assert "Tick “Answered” to record this answer, or clear the answer and its date." in text
    assert 'value="Room 101"' in text and "Release the lawyers" in text and "We will" in text
    assert not Consultation.objects.exists() and not ConsultationRequest.objects.exists()


def test_an_answer_cannot_precede_a_consultation_being_recorded(officer_client, round_):
    response = officer_client.post(
        NEW,
        consultation_data(
            round_,
            **request_row(
                0, "Share the agenda", answered=True, answer="Sent", answered_on="2005-11-10"
            ),
        ),
    )
    assert "An answer cannot come before the consultation (2005-11-20)." in response.text
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = officer_client.post(
        NEW,
        consultation_data(
            round_,
            **request_row(
                0, "Share the agenda", answered=True, answer="Sent", answered_on=tomorrow
            ),
        ),
    )
    assert "The answer date cannot be in the future." in response.text
    assert not Consultation.objects.exists()


def test_a_consultation_needs_its_round(officer_client, round_):
    response = officer_client.post(NEW, consultation_data(round_, round=""))
    assert "Choose the round this consultation prepared or followed." in response.text
    unknown = officer_client.post(NEW, consultation_data(round_, round="999999"))
    assert "No record you may see has the number 999999." in unknown.text
    odd = officer_client.get(f"{NEW}?round=99999999999999999999")
    assert odd.status_code == 200
    assert not Consultation.objects.exists()


def test_the_round_and_the_marking_stay_within_the_users_clearance(client, make_user):
    client.force_login(make_user("ola", "officer", clearance="protected_a"))
    hidden = RoundFactory(security_marking="protected_b", status="held")
    form = client.get(f"{NEW}?round={hidden.pk}")
    assert form.status_code == 200
    assert str(hidden.dialogue) not in form.text  # neither offered nor named
    assert 'value="protected_b"' not in form.text
    refused = client.post(NEW, consultation_data(hidden, date="2001-01-01", kind="roundtable"))
    assert f"No record you may see has the number {hidden.pk}." in refused.text
    shown = RoundFactory(status="held", security_marking="unclassified")
    too_high = client.post(
        NEW,
        consultation_data(shown, kind="roundtable", security_marking="protected_b"),
    )
    assert "Select a valid choice" in too_high.text
    assert not Consultation.objects.exists()
    secret = ConsultationFactory(security_marking="protected_b")
    assert client.get(edit_url(secret)).status_code == 404


def test_a_consultation_cannot_be_marked_below_its_round(officer_client):
    round_ = RoundFactory(status="held", security_marking="protected_b")
    form = officer_client.get(f"{NEW}?round={round_.pk}")
    assert '<option value="protected_b" selected>' in form.text  # starts at the round's
    low = officer_client.post(
        NEW, consultation_data(round_, kind="roundtable", security_marking="protected_a")
    )
    assert "so it cannot refer to a record marked Protected B" in low.text
    assert not Consultation.objects.exists()


# -- editing ---------------------------------------------------------------------------------------


@pytest.fixture
def debriefing(round_):
    consultation = ConsultationFactory(
        dialogue=round_.dialogue,
        round=round_,
        kind="debriefing",
        date=datetime.date(2005, 11, 20),
        location="Ottawa",
        security_marking="protected_a",
    )
    consultation.organizations.add(OrganizationFactory(name="Amnesty"))
    for order, text in enumerate(["Name the cases", "Share the agenda", "Meet again"], start=1):
        ConsultationRequest.objects.create(consultation=consultation, order=order, text=text)
    return consultation


def edit_data(consultation, *rows, **overrides) -> dict:
    existing = list(consultation.request_items.all())
    data = consultation_data(
        consultation.round,
        date=consultation.date.isoformat(),
        location=consultation.location,
        organizations="; ".join(label(o) for o in consultation.organizations.all()),
        expected_version=str(consultation.version),
        **no_requests(total=len(existing) + 2, initial=len(existing)),
    )
    for index, request in enumerate(existing):
        data.update(
            request_row(
                index,
                request.text,
                pk=request.pk,
                consultation=consultation.pk,
                expected_version=request.version,
            )
        )
    for row in rows:
        data.update(row)
    data.update(overrides)
    return data


def test_an_officer_records_the_answer_to_a_request_later(officer_client, debriefing):
    form = officer_client.get(edit_url(debriefing))
    assert form.status_code == 200
    assert "Name the cases" in form.text and "Amnesty" in form.text
    first, _second, third = debriefing.request_items.all()
    response = officer_client.post(
        edit_url(debriefing),
        edit_data(
            debriefing,
            request_row(
                0,
                "Name the cases",
                pk=first.pk,
                answered=True,
                answer="Listed in the letter of 2005-12-01",
                answered_on="2005-12-01",
            ),
            request_row(2, "Meet again", pk=third.pk, DELETE="on"),
            request_row(3, "Publish a summary"),
        ),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == debriefing.round.get_absolute_url()
    first.refresh_from_db()
    assert first.answered and first.updated_by.username == "olive"
    assert not ConsultationRequest.objects.filter(pk=third.pk).exists()
    assert [(r.text, r.order) for r in debriefing.request_items.all()] == [
        ("Name the cases", 1),
        ("Share the agenda", 2),
        ("Publish a summary", 4),
    ]
    debriefing.refresh_from_db()
    assert debriefing.version == 2
    assert [o.name for o in debriefing.organizations.all()] == ["Amnesty"]


def test_a_stale_save_is_refused_with_what_changed(officer_client, make_user, debriefing):
    form = officer_client.get(edit_url(debriefing))
    assert f'name="expected_version" value="{debriefing.version}"' in form.text
    mine = edit_data(debriefing, location="Gatineau")
    other = Client()
    other.force_login(make_user("otto", "officer", clearance="protected_b"))
    first = debriefing.request_items.first()
    theirs = edit_data(
        debriefing,
        request_row(
            0,
            "Name the cases",
            pk=first.pk,
            answered=True,
            answer="By letter",
            answered_on="2005-12-02",
        ),
        location="Beijing",
    )
    assert other.post(edit_url(debriefing), theirs).status_code == 302

    refused = officer_client.post(edit_url(debriefing), mine)
    assert refused.status_code == 200
    text = refused.text
    assert "Someone else saved this record while you were editing it" in text
    assert "location: “Ottawa” → “Beijing” (by otto)" in text
    assert "Requests changed meanwhile: “Name the cases” changed by otto." in text
    assert 'value="Gatineau"' in text  # the entry is kept
    debriefing.refresh_from_db()
    assert debriefing.location == "Beijing" and debriefing.version == 2
    # Saving again applies the entries on top of the versions now shown: the consultation's, and
    # that of the request otto answered, which the page shows unanswered, as the officer left it.
    assert f'name="expected_version" value="{debriefing.version}"' in text
    assert 'name="requests-0-expected_version" value="2"' in text
    again = officer_client.post(
        edit_url(debriefing),
        {**mine, "expected_version": "2", "requests-0-expected_version": "2"},
    )
    assert again.status_code == 302
    debriefing.refresh_from_db()
    assert debriefing.location == "Gatineau"


def test_a_request_changed_meanwhile_is_neither_overwritten_nor_removed(
    officer_client, make_user, debriefing
):
    """Two officers recording answers: the second to correct or remove a request the first has
    answered since the page was opened is told what changed, and the answer stays. Before,
    only the consultation itself was versioned: an answer given through the API left it as it
    was, and a page opened before then overwrote or removed the request unseen."""
    first = debriefing.request_items.first()
    correction = edit_data(debriefing, request_row(0, "Name every case", pk=first.pk))
    removal = edit_data(debriefing, request_row(0, "Name the cases", pk=first.pk, DELETE="on"))
    other = Client()
    other.force_login(make_user("otto", "officer", clearance="protected_b"))
    answered = other.patch(
        f"/api/v1/consultation-requests/{first.pk}/",
        {"answer": "By letter", "answered_on": "2005-12-02", "version": first.version},
        content_type="application/json",
    )
    assert answered.status_code == 200, answered.json()

    for data in (correction, removal):
        refused = officer_client.post(edit_url(debriefing), data)
        assert refused.status_code == 200
        assert "answer: “—” → “By letter” (by otto)" in refused.text
        first.refresh_from_db()
        assert (first.text, first.answer) == ("Name the cases", "By letter")


def test_a_save_without_the_version_is_refused(officer_client, debriefing):
    data = edit_data(debriefing, location="Gatineau")
    del data["expected_version"]
    response = officer_client.post(edit_url(debriefing), data)
    assert "this page did not send it" in response.text
    debriefing.refresh_from_db()
    assert debriefing.location == "Ottawa"


def test_a_request_removed_meanwhile_is_explained_and_nothing_is_saved(officer_client, debriefing):
    data = edit_data(debriefing, location="Gatineau")
    debriefing.request_items.first().delete()
    response = officer_client.post(edit_url(debriefing), data)
    assert response.status_code == 200
    assert "Someone else removed this request while you were editing" in response.text
    debriefing.refresh_from_db()
    assert debriefing.location == "Ottawa"


# -- a fixed number of queries ---------------------------------------------------------------------


def count_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_the_pages_keep_a_fixed_query_count(officer_client):
    world = build_world()
    round_ = world["round"]
    consultation = world["consultation"]
    consultation.round = round_
    consultation.save()
    new_url = f"{NEW}?round={round_.pk}"
    small = {url: count_queries(officer_client, url) for url in [new_url, edit_url(consultation)]}
    for _ in range(2):
        build_world()
    for index in range(8):
        consultation.organizations.add(OrganizationFactory())
        ConsultationRequest.objects.create(consultation=consultation, text=f"Request {index}")
    large = {url: count_queries(officer_client, url) for url in [new_url, edit_url(consultation)]}
    assert small == large
    round_page_small = count_queries(officer_client, round_.get_absolute_url())
    for _ in range(5):
        ConsultationFactory(dialogue=round_.dialogue, round=round_).organizations.add(
            OrganizationFactory()
        )
    assert count_queries(officer_client, round_.get_absolute_url()) == round_page_small


def test_saving_keeps_a_fixed_query_count(officer_client, round_):
    def save(rows: int) -> int:
        organizations = [OrganizationFactory() for _ in range(rows)]
        data = consultation_data(
            round_,
            organizations="; ".join(label(o) for o in organizations),
            **no_requests(total=rows),
        )
        for index in range(rows):
            data.update(request_row(index, f"Request {index}"))
        with CaptureQueriesContext(connection) as queries:
            response = officer_client.post(NEW, data)
        assert response.status_code == 302
        return len(queries)

    # The count follows what is typed (each request is an insert and its history row), never
    # what is already stored.
    save(2)  # warms the per-process caches
    first = save(2)
    build_world()
    build_world()
    assert save(2) == first


@pytest.mark.parametrize("field", ["round", "organizations", "convened_by", "requests-0-text"])
def test_odd_characters_are_refused_with_a_message(officer_client, round_, field):
    officer_client.raise_request_exception = False
    response = officer_client.post(NEW, consultation_data(round_, **{field: "a\x00b"}))
    assert response.status_code in (200, 400)
    assert not Consultation.objects.exists()


def test_a_round_the_officer_may_not_see_is_kept_unnamed(client, make_user):
    client.force_login(make_user("ola", "officer", clearance="protected_a"))
    hidden = RoundFactory(security_marking="protected_b", status="held")
    consultation = ConsultationFactory(
        dialogue=hidden.dialogue, round=hidden, security_marking="protected_a", location="Here"
    )
    form = client.get(edit_url(consultation))
    assert form.status_code == 200
    assert "restricted record" in form.text and str(hidden) not in form.text
    data = consultation_data(
        hidden,
        kind="roundtable",
        date=consultation.date.isoformat(),
        location="There",
        expected_version=str(consultation.version),
    )
    del data["round"]
    response = client.post(edit_url(consultation), data)
    assert response.status_code == 302
    assert response.url == hidden.dialogue.get_absolute_url()
    consultation.refresh_from_db()
    assert consultation.round_id == hidden.pk and consultation.location == "There"


def test_a_consultation_with_more_requests_than_a_sending_may_add_stays_editable(
    officer_client, debriefing, monkeypatch
):
    """A post may add at most MAX_ROWS rows, but a record keeps the rows it has: one given more
    than MAX_ROWS requests (through the API or an import) is still saved from its page, and a
    post claiming more than that is refused, entries kept. (MAX_ROWS is 200; 2 here, so that
    the debriefing's 3 requests are more.)"""
    monkeypatch.setattr("core.forms.MAX_ROWS", 2)
    recorded = debriefing.request_items.count()
    assert recorded > 2
    response = officer_client.post(edit_url(debriefing), edit_data(debriefing, location="Hull"))
    assert response.status_code == 302
    debriefing.refresh_from_db()
    assert debriefing.location == "Hull" and debriefing.request_items.count() == recorded

    forged = edit_data(
        debriefing,
        request_row(recorded, "Typed here"),
        **no_requests(total=recorded + 3, initial=recorded),
    )
    response = officer_client.post(edit_url(debriefing), forged)
    assert f"Please submit at most {recorded + 2} forms." in response.text
    assert "Typed here" in response.text
    assert debriefing.request_items.count() == recorded


# -- sent twice ------------------------------------------------------------------------------------

AGAIN = "was saved when this form was first sent, so it was not saved a second time."


def test_a_new_request_sent_twice_is_recorded_once(officer_client, debriefing):
    page = officer_client.get(edit_url(debriefing))
    rows = page.context["request_formset"]
    token = rows.extra_forms[0][submissions.TOKEN_FIELD].value()
    assert token  # each new request's box carries its one-time token
    data = edit_data(
        debriefing,
        request_row(3, "Brand new", **{submissions.TOKEN_FIELD: str(token)}),
    )

    first = officer_client.post(edit_url(debriefing), data)
    assert first.status_code == 302
    again = officer_client.post(edit_url(debriefing), data, follow=True)
    assert again.redirect_chain[0] == (first["Location"], 302)
    assert f"“{ConsultationRequest.objects.get(text='Brand new')}” {AGAIN}" in again.text
    texts = debriefing.request_items.values_list("text", flat=True)
    assert list(texts).count("Brand new") == 1

    # Drawn again, the page adds another; without its token too.
    debriefing.refresh_from_db()
    data = edit_data(debriefing, request_row(4, "Another"))
    assert officer_client.post(edit_url(debriefing), data).status_code == 302
    debriefing.refresh_from_db()
    data = edit_data(debriefing, request_row(5, "A third"))
    assert officer_client.post(edit_url(debriefing), data).status_code == 302
    assert debriefing.request_items.count() == 6
