"""The action lists show who owns an action and how late it is; the action form has one
owner model (an assignee who may act on follow-up, optionally an organization); each action
has a read-only page of its own for every role that may see it."""

import datetime
import re

import pytest
from django.utils import timezone

from core.models import SecurityMarking
from followup.forms import ActionForm
from tests.followup.factories import FollowUpActionFactory, FollowUpProjectFactory
from tests.rounds.factories import RoundFactory, TopicFactory
from tests.stakeholders.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

PB = SecurityMarking.PROTECTED_B


def today():
    """Read when a test runs, not when the module is imported: a run crossing midnight would
    otherwise count the days late from yesterday."""
    return timezone.localdate()


@pytest.fixture
def planner(make_user):
    return make_user("pat", "planner", clearance="protected_a", first_name="Pat", last_name="Ng")


@pytest.fixture
def planner_client(client, planner):
    client.force_login(planner)
    return client


def late_action(days=12, **extra):
    round_ = RoundFactory(start_date=today() - datetime.timedelta(days=200))
    return FollowUpActionFactory(
        round=round_, due_date=today() - datetime.timedelta(days=days), **extra
    )


def test_the_lists_show_the_assignee_the_organization_and_how_late(planner_client, planner):
    org = OrganizationFactory(name="Legal Aid Centre")
    late = late_action(days=12, assignee=planner, owner_organization=org, title="Send the list")
    on_time = FollowUpActionFactory(
        round=late.round, due_date=today() + datetime.timedelta(days=3), title="Debrief NGOs"
    )
    for address in (
        "/followup/actions/",
        "/followup/actions/overdue/",
        "/followup/actions/?mine=true",
    ):
        page = planner_client.get(address).text
        assert "Pat Ng" in page and "Legal Aid Centre" in page
        row = re.search(r"<tr class=\"overdue[^\"]*\">(.*?)</tr>", page, re.S)
        assert row and "Send the list" in row[1]
        assert "Overdue</strong>" in row[1]  # in words, not by colour alone
        assert '<td class="num">12</td>' in row[1]
        assert (today() - datetime.timedelta(days=12)).isoformat() in row[1]
    everything = planner_client.get("/followup/actions/").text
    assert on_time.title in everything
    assert everything.count("Overdue</strong>") == 1
    exported = planner_client.get("/followup/actions/?format=csv").content.decode()
    header, *rows = exported.splitlines()
    assert "Assignee" in header and "Days overdue" in header
    assert any('"Pat Ng"' in line and ',"12",' in line for line in rows), exported


def test_the_project_page_lists_its_actions_with_owner_and_lateness(planner_client, planner):
    project = FollowUpProjectFactory()
    late_action(days=5, project=project, assignee=planner, title="Translate the report")
    page = planner_client.get(project.get_absolute_url()).text
    row = re.search(r"<tr class=\"overdue\">(.*?)</tr>", page, re.S)
    assert row and "Translate the report" in row[1] and "Pat Ng" in row[1]
    assert '<td class="num">5</td>' in row[1] and "Overdue</strong>" in row[1]


def test_the_filters_read_as_a_person_would(planner_client):
    page = planner_client.get("/followup/actions/").text
    overdue = re.search(r'<select name="overdue"[^>]*>(.*?)</select>', page, re.S)[1]
    assert re.findall(r">([^<]+)</option>", overdue) == ["No", "Yes"]
    legal = TopicFactory(name="Legal aid", slug="legal-aid")
    projects = planner_client.get("/followup/projects/").text
    assert "Topic (slug)" not in projects
    # The topic is a lookup box (hundreds of topics are no select): it suggests by name...
    box = re.search(r'<input type="text" name="topic"[^>]*>', projects)[0]
    assert 'data-lookup="/lookup/topic/"' in box
    suggested = planner_client.get("/lookup/topic/?q=legal").json()["results"]
    assert suggested == [f"Legal aid (#{legal.pk})"]
    # ...and reads back the suggestion, the name typed whole, or the slug the reports link with.
    for given in (suggested[0], "legal aid", "legal-aid"):
        assert planner_client.get("/followup/projects/", {"topic": given}).status_code == 200
    unknown = planner_client.get("/followup/projects/", {"topic": "no such topic"})
    assert "Nothing you may see is called “no such topic”" in unknown.text


def test_the_form_offers_only_those_who_may_act_on_follow_up_by_name(make_user, planner):
    make_user("ana", "analyst", first_name="Ana", last_name="Lyst")
    make_user("gone", "planner", first_name="Gone", is_active=False)
    bare = make_user("jdoe", "officer")  # dialogue officers change actions too: no full name
    form = ActionForm(user=planner)
    labels = [label for value, label in form.fields["assignee"].choices if value]
    assert "Pat Ng" in labels and "jdoe" in labels
    assert "Ana Lyst" not in labels and "Gone" not in labels
    assert "owner_person" not in form.fields
    assert list(form.fields)[list(form.fields).index("assignee") + 1] == "owner_organization"
    assert bare.display_name == "jdoe"


def test_an_assignee_who_lost_the_permission_is_kept_on_edit(make_user, planner):
    former = make_user("former", "analyst", first_name="Former")
    action = late_action(assignee=former)
    form = ActionForm(instance=action, user=planner)
    assert "Former" in [label for _v, label in form.fields["assignee"].choices]


def test_the_action_page_shows_it_to_every_role_that_may_see_it(make_user, client, planner):
    org = OrganizationFactory(name="Legal Aid Centre")
    action = late_action(
        days=3,
        assignee=planner,
        owner_organization=org,
        description="Send the translated list of cases.",
        project=FollowUpProjectFactory(title="Hidden project", security_marking=PB),
    )
    for role in ("planner", "officer", "analyst"):
        client.force_login(make_user(f"reader-{role}", role, clearance="protected_a"))
        page = client.get(f"/followup/actions/{action.pk}/")
        assert page.status_code == 200, role
        text = page.text
        assert "Send the translated list of cases." in text
        assert "Pat Ng" in text and "Legal Aid Centre" in text
        assert "3 days overdue" in text and "Overdue</strong>" in text
        assert action.round.get_absolute_url() in text
        assert "Hidden project" not in text and "restricted record" in text
        assert "Created" in text  # its history
    hidden = late_action(security_marking=PB, title="CANARY hidden action")
    assert client.get(f"/followup/actions/{hidden.pk}/").status_code == 404
    assert client.get("/followup/actions/999999/").status_code == 404
    client.force_login(make_user("cora", "case_officer", clearance="protected_b"))
    assert client.get(f"/followup/actions/{action.pk}/").status_code == 403  # no follow-up role
    client.force_login(make_user("nobody"))
    assert client.get(f"/followup/actions/{action.pk}/").status_code == 403


def test_the_list_links_each_action_to_its_page(planner_client):
    action = late_action()
    page = planner_client.get("/followup/actions/").text
    assert f'href="/followup/actions/{action.pk}/"' in page


@pytest.mark.parametrize("rows", [1, 12])
def test_the_lists_and_the_action_page_take_a_fixed_number_of_queries(
    planner_client, planner, django_assert_max_num_queries, rows
):
    org = OrganizationFactory()
    project = FollowUpProjectFactory()
    actions = [
        late_action(days=n + 1, assignee=planner, owner_organization=org, project=project)
        for n in range(rows)
    ]
    with django_assert_max_num_queries(14):
        planner_client.get("/followup/actions/overdue/")
    with django_assert_max_num_queries(14):
        planner_client.get(project.get_absolute_url())
    actions[0].title = "Renamed"
    actions[0].save()
    with django_assert_max_num_queries(14):
        planner_client.get(actions[0].get_absolute_url())
