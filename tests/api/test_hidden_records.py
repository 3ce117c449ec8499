"""API writes never reach records above the writer's clearance: a delete that would take hidden
records with it is refused without naming them, a many-to-many update keeps the hidden links,
and an update must say which version it changes."""

import pytest

from followup.models import FollowUpAction, FollowUpProject
from rounds.models import Round
from tests.followup.factories import FollowUpActionFactory, FollowUpProjectFactory
from tests.rounds.factories import RoundFactory

pytestmark = pytest.mark.django_db

HIDDEN = "protected_b"


@pytest.fixture
def low_planner(client, make_user):
    client.force_login(make_user("uma", "planner", clearance="unclassified"))
    return client


def test_deleting_a_project_that_holds_a_hidden_action_is_refused(low_planner):
    project = FollowUpProjectFactory()
    FollowUpActionFactory(project=project, title="Visit the detainee", security_marking=HIDDEN)
    FollowUpActionFactory(project=project, title="Send the texts")

    response = low_planner.delete(f"/api/v1/projects/{project.pk}/")

    assert response.status_code == 409
    detail = response.json()["detail"]
    assert "Records you cannot see depend on this one" in detail
    assert "Visit the detainee" not in response.text
    assert FollowUpProject.objects.filter(pk=project.pk).exists()
    assert FollowUpAction.objects.count() == 2


def test_deleting_a_project_with_only_visible_actions_still_works(low_planner):
    project = FollowUpProjectFactory()
    FollowUpActionFactory(project=project)
    response = low_planner.delete(f"/api/v1/projects/{project.pk}/?version={project.version}")
    assert response.status_code == 204
    assert not FollowUpAction.objects.exists()


def test_deleting_a_round_a_hidden_project_came_from_is_refused(client, make_user):
    client.force_login(make_user("otto", "officer", clearance="unclassified"))
    round_ = RoundFactory()
    FollowUpProjectFactory(security_marking=HIDDEN).originating_rounds.add(round_)
    response = client.delete(f"/api/v1/rounds/{round_.pk}/")
    assert response.status_code == 409
    assert Round.objects.filter(pk=round_.pk).exists()


def test_patching_links_keeps_the_hidden_ones(low_planner):
    seen, other, hidden = RoundFactory(), RoundFactory(), RoundFactory(security_marking=HIDDEN)
    project = FollowUpProjectFactory()
    project.originating_rounds.set([seen, hidden])

    response = low_planner.patch(
        f"/api/v1/projects/{project.pk}/",
        {"originating_rounds": [other.pk], "version": project.version},
        content_type="application/json",
    )

    assert response.status_code == 200, response.json()
    assert set(project.originating_rounds.all()) == {other, hidden}


def test_an_update_without_the_version_is_refused(low_planner):
    project = FollowUpProjectFactory(title="Legal aid")
    response = low_planner.patch(
        f"/api/v1/projects/{project.pk}/", {"title": "Mine"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "required to save a change" in response.json()["version"][0]
    assert FollowUpProject.objects.get().title == "Legal aid"
