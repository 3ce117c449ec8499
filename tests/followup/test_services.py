"""Closing a project (followup/services.py): the same rule from the pages, the admin and the API.
A project is completed or cancelled only once someone says what becomes of its open actions,
and nobody closes, or learns the number of, actions above their clearance."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from followup.models import FollowUpAction, FollowUpProject
from followup.services import project_close, project_close_check
from tests.followup.factories import FollowUpActionFactory, FollowUpProjectFactory
from tests.helpers import as_posted

pytestmark = pytest.mark.django_db

START = datetime.date(2003, 1, 1)


@pytest.fixture
def planner(make_user):
    return make_user("pat", "planner", clearance="protected_a")


@pytest.fixture
def project():
    return FollowUpProjectFactory(status="active", start_date=START)


def statuses(project) -> list[str]:
    return sorted(project.actions.values_list("status", flat=True))


class TestProjectCloseCheck:
    def test_it_refuses_to_close_with_open_actions_and_no_decision(self, project, planner):
        FollowUpActionFactory(project=project)
        with pytest.raises(ValidationError, match="still has 1 open action"):
            project_close_check(project=project, status="cancelled", user=planner)

    def test_it_lets_a_decided_close_or_a_change_that_does_not_close_through(
        self, project, planner
    ):
        FollowUpActionFactory(project=project)
        project_close_check(
            project=project, status="cancelled", user=planner, open_actions="dropped"
        )
        project_close_check(project=project, status="active", user=planner)

    def test_done_and_dropped_actions_do_not_hold_a_project_open(self, project, planner):
        FollowUpActionFactory(project=project, status="dropped")
        project_close_check(project=project, status="cancelled", user=planner)

    def test_it_refuses_without_counting_when_open_actions_are_above_clearance(
        self, project, planner
    ):
        FollowUpActionFactory(project=project, security_marking="protected_b")
        with pytest.raises(ValidationError, match="above your clearance") as refused:
            project_close_check(
                project=project, status="cancelled", user=planner, open_actions="done"
            )
        assert "1" not in str(refused.value)


def test_project_close_closes_the_open_actions_as_chosen(project, planner):
    FollowUpActionFactory(project=project)
    FollowUpActionFactory(project=project, status="in_progress")
    project.status = "cancelled"
    project.save()
    assert project_close(project=project, user=planner, open_actions="dropped") == 2
    assert statuses(project) == ["dropped", "dropped"]
    assert {a.updated_by for a in project.actions.all()} == {planner}


class TestThroughTheApi:
    def close(self, client, project, **extra):
        return client.patch(
            f"/api/v1/projects/{project.pk}/",
            {"status": "cancelled", "version": project.version, **extra},
            content_type="application/json",
        )

    def test_it_cannot_close_a_project_with_open_actions_silently(self, client, planner, project):
        FollowUpActionFactory(project=project)
        client.force_login(planner)
        response = self.close(client, project)
        assert response.status_code == 400
        assert "still has 1 open action" in response.json()["status"][0]
        assert FollowUpProject.objects.get().status == "active"
        assert statuses(project) == ["open"]

    def test_it_closes_the_open_actions_it_is_told_to(self, client, planner, project):
        FollowUpActionFactory(project=project)
        client.force_login(planner)
        response = self.close(client, project, open_actions="done")
        assert response.status_code == 200, response.content
        assert "open_actions" not in response.json()  # said, not stored
        assert FollowUpProject.objects.get().status == "cancelled"
        action = FollowUpAction.objects.get()
        assert (action.status, action.completed_on) == ("done", datetime.date.today())

    def test_it_refuses_an_unknown_decision(self, client, planner, project):
        FollowUpActionFactory(project=project)
        client.force_login(planner)
        response = self.close(client, project, open_actions="forgotten")
        assert response.status_code == 400
        assert "open_actions" in response.json()
        assert FollowUpProject.objects.get().status == "active"


class TestThroughTheAdmin:
    @pytest.fixture
    def page(self, admin_client, project):
        FollowUpActionFactory(project=project, title="Send the texts")
        url = reverse("admin:followup_followupproject_change", args=[project.pk])
        page = admin_client.get(url)
        assert 'name="open_actions"' in page.text
        return url, as_posted(page)

    def test_it_cannot_close_a_project_with_open_actions_silently(self, admin_client, page):
        url, form = page
        response = admin_client.post(url, form | {"status": "cancelled"})
        assert response.status_code == 200
        assert "still has 1 open action" in response.text
        assert FollowUpProject.objects.get().status == "active"

    def test_it_closes_the_open_actions_it_is_told_to(self, admin_client, page):
        url, form = page
        response = admin_client.post(url, form | {"status": "cancelled", "open_actions": "dropped"})
        assert response.status_code == 302
        assert FollowUpProject.objects.get().status == "cancelled"
        assert FollowUpAction.objects.get().status == "dropped"
