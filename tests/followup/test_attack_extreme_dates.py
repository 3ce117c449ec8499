"""A project or action dated at either end of the calendar (0001-01-01, 9999-12-31: the date
fields take any day it holds) is saved and shown like any other: its timeline ends within the
calendar, never a server error."""

import pytest

from followup.models import FollowUpAction, FollowUpProject
from tests.followup.test_editing import planner_client, project_data  # noqa: F401
from tests.rounds.factories import RoundFactory

pytestmark = pytest.mark.django_db


def test_a_project_spanning_the_whole_calendar_is_shown(planner_client):  # noqa: F811
    created = planner_client.post(
        "/followup/projects/new/",
        project_data(start_date="0001-01-01", end_date="9999-12-31"),
    )
    assert created.status_code == 302
    project = FollowUpProject.objects.get()
    for url in (project.get_absolute_url(), "/followup/projects/", "/followup/board/"):
        assert planner_client.get(url).status_code == 200, url


def test_an_action_due_on_the_calendars_last_day_is_shown_on_its_project(
    planner_client,  # noqa: F811
):
    planner_client.post("/followup/projects/new/", project_data())
    project = FollowUpProject.objects.get()
    created = planner_client.post(
        "/followup/actions/new/",
        {
            "title": "Follow up in the far future",
            "round": RoundFactory().pk,
            "project": project.pk,
            "status": "open",
            "due_date": "9999-12-31",
            "security_marking": "unclassified",
        },
    )
    assert created.status_code == 302
    action = FollowUpAction.objects.get()
    for url in (project.get_absolute_url(), action.get_absolute_url(), "/followup/actions/"):
        assert planner_client.get(url).status_code == 200, url
