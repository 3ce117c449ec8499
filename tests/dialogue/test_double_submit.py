"""A create form sent twice (a second click on Save, the browser resending it) creates one
record: the second sending answers as the first did, with a message, never an error page. Two
forms drawn separately create two records; a post without the form's token still creates."""

import datetime
import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client

from core import submissions
from core.lookups import label
from core.models import FormSubmission
from followup.models import FollowUpAction, FollowUpProject
from rounds.models import AgendaItem, Commitment, Material, Round, SiteVisit
from stakeholders.models import Consultation, Delegation, DelegationMember
from tests.rounds.factories import DialogueFactory, RoundFactory
from tests.rounds.test_recording import posted as section_posted
from tests.stakeholders.factories import OrganizationFactory, PersonFactory
from tests.stakeholders.test_delegation_pages import posted as delegation_posted

TOKEN = submissions.TOKEN_FIELD
AGAIN = "was saved when this form was first sent, so it was not saved a second time."


@pytest.fixture
def users(make_user):
    return {
        "officer": make_user("olivia", "officer", clearance="protected_b"),
        "planner": make_user("paul", ("planner", "officer"), clearance="protected_b"),
    }


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# -- the create pages (core.views.EditPage) -------------------------------------------------------


def create_pages():
    """(role, page, data for the nth record, the records created)"""

    def a_round(n):
        return {
            "dialogue": Round._meta.get_field("dialogue").related_model.objects.get().pk,
            "number": 10 + n,
            "status": "planned",
            "start_date": f"2027-09-{10 + n:02d}",
            "date_precision": "day",
            "cities": "Ottawa",
            "host_country": "CA",
            "security_marking": "unclassified",
        }

    def a_project(n):
        return {
            "title": f"Training for judges {n}",
            "status": "proposed",
            "security_marking": "unclassified",
            "open_actions": "",
        }

    def an_action(n):
        return {
            "title": f"Send the legal texts {n}",
            "round": Round.objects.get().pk,
            "owner_organization": OrganizationFactory().pk,
            "due_date": "2030-04-01",
            "status": "open",
            "security_marking": "unclassified",
        }

    def a_consultation(n):
        return {
            "round": str(Round.objects.get().pk),
            "kind": "debriefing",
            "date": f"2005-11-{20 + n}",
            "date_precision": "day",
            "format": "in_person",
            "location": "Ottawa",
            "convened_by": "",
            "organizations": "",
            "summary": "Debriefing on the ninth round.",
            "security_marking": "protected_a",
            "requests-TOTAL_FORMS": "2",
            "requests-INITIAL_FORMS": "0",
            "requests-MIN_NUM_FORMS": "0",
            "requests-MAX_NUM_FORMS": "1000",
            "requests-0-text": f"Name the cases {n}",
        }

    return {
        "round": ("officer", "/rounds/new/", a_round, Round),
        "project": ("planner", "/followup/projects/new/", a_project, FollowUpProject),
        "action": ("planner", "/followup/actions/new/", an_action, FollowUpAction),
        "consultation": (
            "officer",
            "/stakeholders/consultations/new/",
            a_consultation,
            Consultation,
        ),
    }


CREATE_PAGES = create_pages()


@pytest.fixture
def world(db):
    """A dialogue with one round (the round a new action or consultation refers to)."""
    return RoundFactory(
        dialogue=DialogueFactory(slug="ca-cn"),
        number=9,
        start_date=datetime.date(2005, 10, 31),
        end_date=datetime.date(2005, 11, 1),
        status="held",
        security_marking="unclassified",
    )


def created(model, world):
    rows = model.objects.all()
    return rows.exclude(pk=world.pk) if model is Round else rows


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(CREATE_PAGES))
def test_a_create_form_sent_twice_creates_one_record(users, world, name):
    role, page, data_for, model = CREATE_PAGES[name]
    client = client_of(users[role])
    form = client.get(page)
    assert f'name="{TOKEN}"' in form.text  # drawn with the form
    data = {**data_for(0), TOKEN: str(form.context["form"][TOKEN].value())}

    first = client.post(page, data)
    assert first.status_code == 302, first.content[:2000]
    record = created(model, world).get()
    again = client.post(page, data, follow=True)

    assert created(model, world).count() == 1
    assert again.redirect_chain[0] == (first["Location"], 302)
    assert again.status_code == 200
    assert f"“{record}” {AGAIN}" in again.text
    assert FormSubmission.objects.get().object_id == str(record.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(CREATE_PAGES))
def test_two_forms_drawn_separately_create_two_records_and_no_token_still_creates(
    users, world, name
):
    role, page, data_for, model = CREATE_PAGES[name]
    client = client_of(users[role])
    for n in range(2):
        token = client.get(page).context["form"][TOKEN].value()
        assert client.post(page, {**data_for(n), TOKEN: str(token)}).status_code == 302
    assert created(model, world).count() == 2
    # A script, or a page drawn before the token: saved as before, each time.
    assert client.post(page, data_for(2)).status_code == 302
    assert created(model, world).count() == 3


@pytest.mark.django_db
def test_a_second_sending_that_is_no_longer_valid_still_answers_as_the_first(users, world):
    """The round's number is taken once the first sending is saved: the second would fail
    validation, and is answered as the first was rather than with that error."""
    role, page, data_for, _model = CREATE_PAGES["round"]
    client = client_of(users[role])
    data = {**data_for(0), TOKEN: str(client.get(page).context["form"][TOKEN].value())}
    first = client.post(page, data)
    again = client.post(page, data)
    assert again.status_code == 302
    assert again["Location"] == first["Location"]
    assert Round.objects.count() == 2


@pytest.mark.django_db
def test_a_token_sent_by_someone_else_names_nothing_and_creates_nothing(users, world, make_user):
    role, page, data_for, _model = CREATE_PAGES["project"]
    client = client_of(users[role])
    data = {**data_for(0), TOKEN: str(client.get(page).context["form"][TOKEN].value())}
    assert client.post(page, data).status_code == 302
    other = client_of(make_user("pat", "planner", clearance="protected_b"))
    response = other.post(page, {**data, "title": "Another project"}, follow=True)
    assert response.status_code == 200
    assert FollowUpProject.objects.count() == 1
    assert "This form was already sent and saved" in response.text
    assert f"“Training for judges 0” {AGAIN}" not in response.text


# -- the recording pages' new rows ----------------------------------------------------------------

NEW_ROWS = {
    "agenda": (AgendaItem, {"agenda-0-title": "Freedom of religion"}),
    "commitments": (
        Commitment,
        {"commitments-0-text": "Send the regulation", "commitments-0-side": "partner"},
    ),
    "materials": (
        Material,
        {
            "materials-0-title": "Statement on legal aid",
            "materials-0-kind": "other",
            "materials-0-provided_by": "lead",
            "materials-0-in_english": "on",
        },
    ),
    "visits": (
        SiteVisit,
        {
            "visits-0-city": "Lhasa",
            "visits-0-country": "CN",
            "visits-0-purpose": "A prison visit",
        },
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("section", list(NEW_ROWS))
def test_a_new_row_sent_twice_is_recorded_once(users, world, section):
    model, row = NEW_ROWS[section]
    client = client_of(users["officer"])
    page = f"/rounds/{world.pk}/edit/"
    target = f"/rounds/{world.pk}/edit/{section}/"
    data = section_posted(client.get(page), section, **row)
    assert data.get(f"{section}-0-{TOKEN}")

    first = client.post(target, data)
    assert first.status_code == 302, first.content[:3000]
    again = client.post(target, data, follow=True)

    assert model.objects.filter(round=world).count() == 1
    assert again.redirect_chain[0] == (first["Location"], 302)
    assert f"“{model.objects.get(round=world)}” {AGAIN}" in again.text
    # Drawn again, the form adds another; without its token too.
    second = section_posted(client.get(page), section, **row)
    assert second[f"{section}-0-{TOKEN}"] != data[f"{section}-0-{TOKEN}"]
    assert client.post(target, second).status_code == 302
    del second[f"{section}-0-{TOKEN}"]
    assert client.post(target, second).status_code == 302
    assert model.objects.filter(round=world).count() == 3


@pytest.mark.django_db
def test_a_delegation_and_its_members_sent_twice_are_recorded_once(users, world):
    client = client_of(users["officer"])
    page = f"/stakeholders/rounds/{world.pk}/delegations/"
    head, member = PersonFactory(), PersonFactory()
    data = delegation_posted(
        client.get(page),
        "lead",
        **{
            "lead-security_marking": "unclassified",
            "lead-members-0-person": label(head),
            "lead-members-0-is_head": "on",
            "lead-members-1-person": label(member),
        },
    )
    first = client.post(page, data)
    assert first.status_code == 302, first.content[:3000]
    again = client.post(page, data, follow=True)
    assert again.redirect_chain[0] == (first["Location"], 302)
    assert AGAIN in again.text
    assert Delegation.objects.filter(round=world).count() == 1
    assert DelegationMember.objects.filter(delegation__round=world).count() == 2
    # Drawn again, the form adds another member; without its token too.
    third, fourth = PersonFactory(), PersonFactory()
    more = delegation_posted(client.get(page), "lead", **{"lead-members-0-person": label(third)})
    assert client.post(page, more).status_code == 302
    more = delegation_posted(client.get(page), "lead", **{"lead-members-0-person": label(fourth)})
    more = {key: value for key, value in more.items() if not key.endswith(TOKEN)}
    assert client.post(page, more).status_code == 302
    assert DelegationMember.objects.filter(delegation__round=world).count() == 4


# -- two sendings at the same moment --------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_sendings_at_the_same_moment_create_one_record(users, world, monkeypatch):
    """Both sendings pass the check for an earlier one before either is saved; the database
    makes the second wait for the first's transaction, then refuses its token: one project."""
    role, page, data_for, _model = CREATE_PAGES["project"]
    user = users[role]
    data = {**data_for(0), TOKEN: str(client_of(user).get(page).context["form"][TOKEN].value())}
    both_checked = threading.Barrier(2, timeout=20)
    original_refuse, original_claim = submissions.refuse_repeat, submissions.claim
    original_settle = submissions.settle
    refused_at_claim = []

    def refuse_then_wait(forms):
        original_refuse(forms)
        both_checked.wait()  # neither has claimed yet

    def claim(forms, user):
        try:
            return original_claim(forms, user)
        except submissions.AlreadySubmitted:
            refused_at_claim.append(True)
            raise

    def slow_settle(claimed, url):
        time.sleep(0.5)  # the first holds its transaction open: the second's claim waits
        original_settle(claimed, url)

    monkeypatch.setattr(submissions, "refuse_repeat", refuse_then_wait)
    monkeypatch.setattr(submissions, "claim", claim)
    monkeypatch.setattr(submissions, "settle", slow_settle)
    answers, errors = [], []

    def send():
        try:
            answers.append(client_of(user).post(page, data))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert connection.vendor == "postgresql"
    assert FollowUpProject.objects.count() == 1
    assert sorted(answer.status_code for answer in answers) == [302, 302]
    assert {answer["Location"] for answer in answers} == {
        FollowUpProject.objects.get().get_absolute_url()
    }
    assert refused_at_claim == [True]  # the second was stopped by the database, not the check
