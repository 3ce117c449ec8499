"""Planners create and edit projects and actions in the product's own pages."""

import datetime

import pytest
from django.utils import timezone
from django.utils.html import escape

from core.lookups import label
from followup.models import FollowUpAction, FollowUpProject
from tests.followup.factories import FollowUpActionFactory, FollowUpProjectFactory
from tests.rounds.factories import RoundFactory, TopicFactory
from tests.stakeholders.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner_client(client, make_user):
    client.force_login(make_user("pat", "planner", clearance="protected_b"))
    return client


def project_data(**overrides):
    data = {
        "title": "Training for judges",
        "status": "proposed",
        "security_marking": "unclassified",
        "open_actions": "",
    }
    data.update(overrides)
    return data


def test_a_planner_starts_a_project_from_a_round(planner_client):
    round_ = RoundFactory()
    topic = TopicFactory()
    form = planner_client.get(f"/followup/projects/new/?round={round_.pk}&topic={topic.slug}")
    assert form.status_code == 200
    assert f'value="{escape(label(round_))}"' in form.text
    assert f'<option value="{topic.pk}" selected>' in form.text
    response = planner_client.post(
        "/followup/projects/new/",
        project_data(
            originating_rounds=[round_.pk],
            topics=[topic.pk],
            lead_agency=OrganizationFactory().pk,
            budget_cad="125000.50",
        ),
        follow=True,
    )
    project = FollowUpProject.objects.get()
    assert response.redirect_chain[-1][0] == project.get_absolute_url()
    assert "Project “Training for judges” created." in response.text
    assert list(project.originating_rounds.all()) == [round_]
    assert project.created_by.username == "pat"
    assert project.history.exists()


def test_a_bad_entry_names_the_field_and_keeps_what_was_typed(planner_client):
    response = planner_client.post(
        "/followup/projects/new/",
        project_data(start_date="2004-05-01", end_date="2003-01-01", budget_cad="-5"),
    )
    assert response.status_code == 200
    assert "The record was not saved" in response.text
    assert "The end date cannot be before the start date." in response.text
    assert 'value="Training for judges"' in response.text
    assert not FollowUpProject.objects.exists()


def test_a_project_moves_only_along_the_allowed_transitions(planner_client):
    project = FollowUpProjectFactory(status="proposed")
    form = planner_client.get(f"/followup/projects/{project.pk}/edit/")
    assert 'value="completed"' not in form.text  # not offered from "proposed"
    response = planner_client.post(
        f"/followup/projects/{project.pk}/edit/",
        project_data(title=project.title, status="completed", expected_version=project.version),
    )
    assert "A project cannot go from “Proposed” to that status" in response.text
    project.refresh_from_db()
    assert project.status == "proposed"


def test_the_model_refuses_a_forbidden_transition_from_any_path():
    project = FollowUpProjectFactory(status="cancelled")
    project = FollowUpProject.objects.get(pk=project.pk)
    project.status = "active"
    with pytest.raises(Exception, match="cannot go from"):
        project.full_clean()


def test_completing_a_project_asks_what_happens_to_its_open_actions(planner_client, make_user):
    start = datetime.date(2003, 1, 1)
    project = FollowUpProjectFactory(status="active", start_date=start)
    open_action = FollowUpActionFactory(project=project)
    FollowUpActionFactory(project=project, status="done", completed_on=datetime.date(2003, 6, 1))
    url = f"/followup/projects/{project.pk}/edit/"
    completed = project_data(
        title=project.title,
        status="completed",
        start_date="2003-01-01",
        end_date="2004-01-01",
        expected_version=project.version,
    )
    refused = planner_client.post(url, completed)
    assert "still has 1 open action" in refused.text
    assert FollowUpProject.objects.get(pk=project.pk).status == "active"

    accepted = planner_client.post(url, {**completed, "open_actions": "dropped"}, follow=True)
    assert "1 open action was closed with the project." in accepted.text
    assert FollowUpProject.objects.get(pk=project.pk).status == "completed"
    open_action.refresh_from_db()
    assert open_action.status == "dropped"
    assert open_action.updated_by.username == "pat"


def test_add_follow_up_action_from_a_round_is_prefilled_and_checked(planner_client):
    round_ = RoundFactory(start_date=datetime.date(2003, 2, 10))
    page = planner_client.get(round_.get_absolute_url())
    assert f"/followup/actions/new/?round={round_.pk}" in page.text
    form = planner_client.get(f"/followup/actions/new/?round={round_.pk}")
    assert f'value="{escape(label(round_))}"' in form.text
    data = {
        "title": "Send the legal texts in Chinese",
        "round": round_.pk,
        "owner_organization": OrganizationFactory().pk,
        "due_date": "2003-01-01",
        "status": "open",
        "security_marking": "unclassified",
    }
    early = planner_client.post("/followup/actions/new/", data)
    assert "cannot be before the round it arises from (2003-02-10)" in early.text
    done_without_date = planner_client.post(
        "/followup/actions/new/", {**data, "due_date": "2003-04-01", "status": "done"}
    )
    assert "A done action needs its completion date." in done_without_date.text
    saved = planner_client.post(
        "/followup/actions/new/", {**data, "due_date": "2003-04-01"}, follow=True
    )
    assert saved.redirect_chain[-1][0] == round_.get_absolute_url()
    assert "Action “Send the legal texts in Chinese” added." in saved.text
    assert FollowUpAction.objects.get().round == round_


def test_marking_an_action_done_records_when(planner_client):
    action = FollowUpActionFactory()
    today = timezone.localdate().isoformat()
    response = planner_client.post(
        f"/followup/actions/{action.pk}/edit/",
        {
            "title": action.title,
            "round": action.round_id,
            "due_date": action.due_date.isoformat(),
            "status": "done",
            "completed_on": today,
            "security_marking": "unclassified",
            "expected_version": action.version,
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.completed_on.isoformat()) == ("done", today)


def test_saving_an_action_of_a_hidden_project_leads_to_no_address_of_it(client, make_user):
    hidden = FollowUpProjectFactory(title="Hidden project", security_marking="protected_b")
    action = FollowUpActionFactory(project=hidden)
    client.force_login(make_user("uma", "planner", clearance="protected_a"))
    response = client.post(
        f"/followup/actions/{action.pk}/edit/",
        {
            "title": "Renamed",
            "round": action.round_id,
            "due_date": action.due_date.isoformat(),
            "status": "open",
            "security_marking": "unclassified",
            "expected_version": action.version,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == action.round.get_absolute_url()
    action.refresh_from_db()
    assert (action.title, action.project) == ("Renamed", hidden)


def test_a_stale_edit_is_refused_with_what_changed(planner_client, make_user):
    action = FollowUpActionFactory(title="First title")
    stale = action.version
    action.title = "Changed by someone else"
    action.save()
    response = planner_client.post(
        f"/followup/actions/{action.pk}/edit/",
        {
            "title": "My title",
            "round": action.round_id,
            "due_date": action.due_date.isoformat(),
            "status": "open",
            "security_marking": "unclassified",
            "expected_version": stale,
        },
    )
    assert "Someone else saved this record" in response.text
    assert "Changed by someone else" in response.text
    action.refresh_from_db()
    assert action.title == "Changed by someone else"


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        ("analyst", "/followup/projects/new/", 403),
        ("analyst", "/followup/actions/new/", 403),
        ("officer", "/followup/projects/new/", 403),
        ("officer", "/followup/actions/new/", 200),
        ("case_officer", "/followup/actions/new/", 403),
    ],
)
def test_only_the_roles_that_may_change_follow_up_get_the_forms(
    client, make_user, role, url, status
):
    client.force_login(make_user("u", role))
    assert client.get(url).status_code == status
    if status == 403:
        assert client.post(url, {"title": "x"}).status_code == 403


def test_a_user_can_neither_pick_nor_file_above_their_clearance(client, make_user):
    client.force_login(make_user("low", "planner", clearance="unclassified"))
    hidden = RoundFactory(security_marking="protected_b", cities="Secret city")
    form = client.get("/followup/actions/new/")
    assert "Secret city" not in form.text
    assert 'value="protected_a"' not in form.text
    response = client.post(
        "/followup/actions/new/",
        {
            "title": "x",
            "round": hidden.pk,
            "due_date": "2030-01-01",
            "status": "open",
            "security_marking": "protected_b",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not FollowUpAction.objects.exists()


def test_editing_a_record_the_user_cannot_see_is_a_404(client, make_user):
    client.force_login(make_user("low", "planner", clearance="unclassified"))
    project = FollowUpProjectFactory(security_marking="protected_b")
    assert client.get(f"/followup/projects/{project.pk}/edit/").status_code == 404


def test_a_next_address_elsewhere_is_ignored(planner_client):
    action = FollowUpActionFactory()
    response = planner_client.post(
        f"/followup/actions/{action.pk}/edit/?next=https://evil.example/",
        {
            "title": action.title,
            "round": action.round_id,
            "due_date": action.due_date.isoformat(),
            "status": "open",
            "security_marking": "unclassified",
            "expected_version": action.version,
        },
    )
    assert response.url == action.round.get_absolute_url()


def test_nobody_closes_or_counts_open_actions_above_their_clearance(client, make_user):
    client.force_login(make_user("pia", "planner", clearance="protected_a"))
    project = FollowUpProjectFactory(status="active", start_date=datetime.date(2003, 1, 1))
    seen = FollowUpActionFactory(project=project)
    hidden = FollowUpActionFactory(project=project, security_marking="protected_b")
    url = f"/followup/projects/{project.pk}/edit/"
    completed = project_data(
        title=project.title,
        status="completed",
        start_date="2003-01-01",
        end_date="2004-01-01",
        expected_version=project.version,
        open_actions="dropped",
    )
    refused = client.post(url, completed)
    assert "marked above your clearance, so you cannot close it" in refused.text
    assert "open actions. Say what happens" not in refused.text  # no count of them
    assert FollowUpProject.objects.get(pk=project.pk).status == "active"
    for action in (seen, hidden):
        action.refresh_from_db()
        assert action.status == "open"


def test_an_action_follows_up_a_commitment_of_its_round(planner_client):
    from tests.rounds.factories import CommitmentFactory

    commitment = CommitmentFactory(text="Send the draft law")
    round_ = commitment.round
    form = planner_client.get(
        f"/followup/actions/new/?round={round_.pk}&commitment={commitment.pk}"
    )
    assert f'value="{escape(label(commitment))}"' in form.text
    data = {
        "title": "Ask for the draft law",
        "round": label(round_),
        "commitment": label(commitment),
        "due_date": "2030-01-31",
        "status": "open",
        "security_marking": "unclassified",
    }
    assert planner_client.post("/followup/actions/new/", data).status_code == 302
    assert FollowUpAction.objects.get().commitment == commitment
    other = RoundFactory()
    refused = planner_client.post("/followup/actions/new/", {**data, "round": label(other)})
    assert refused.status_code == 200
    assert "This commitment was made at another round" in refused.text
