"""The planning board and a project's timeline."""

import datetime

import pytest

from followup import selectors
from followup.models import FollowUpProject
from tests.followup.factories import FollowUpActionFactory, FollowUpProjectFactory
from tests.rounds.factories import RoundFactory

pytestmark = pytest.mark.django_db


def test_the_board_puts_projects_in_columns_with_their_overdue_actions(analyst, analyst_client):
    active = FollowUpProjectFactory(
        title="Legal aid", status="active", start_date=datetime.date(2003, 1, 1)
    )
    FollowUpActionFactory(project=active, due_date=datetime.date(2003, 6, 1))
    FollowUpProjectFactory(title="Prison reform", status="proposed")
    columns = selectors.board(FollowUpProject.objects.all(), user=analyst)
    by_status = {column.status: column for column in columns}
    assert [p.title for p in by_status["active"].projects] == ["Legal aid"]
    assert by_status["active"].projects[0].overdue_actions == 1
    assert by_status["proposed"].total == 1
    assert by_status["completed"].projects == []
    page = analyst_client.get("/followup/board/")
    assert "Legal aid" in page.text
    assert "1 overdue" in page.text


def test_the_board_filters_by_year_and_says_when_a_filter_is_wrong(analyst_client):
    FollowUpProjectFactory(
        title="Old project",
        start_date=datetime.date(1999, 1, 1),
        end_date=datetime.date(2000, 1, 1),
    )
    assert "Old project" not in analyst_client.get("/followup/board/?year=2005").text
    bad = analyst_client.get("/followup/board/?year=soon")
    assert bad.status_code == 200
    assert "Enter a whole number." in bad.text


def test_a_column_too_long_for_the_board_links_to_the_rest(analyst_client, monkeypatch):
    monkeypatch.setattr(selectors, "BOARD_CARDS", 1)
    FollowUpProjectFactory.create_batch(3, status="approved")
    page = analyst_client.get("/followup/board/").text
    assert "and 2 more" in page
    assert "status=approved" in page


def test_a_project_timeline_places_rounds_and_actions_on_one_axis():
    round_ = RoundFactory(start_date=datetime.date(2002, 1, 1))
    project = FollowUpProjectFactory(
        start_date=datetime.date(2002, 6, 1), end_date=datetime.date(2003, 12, 31)
    )
    done = FollowUpActionFactory(
        project=project, round=round_, status="done", completed_on=datetime.date(2003, 1, 1)
    )
    timeline = selectors.project_timeline(project, [round_], [done])
    assert [year for _x, year in timeline.ticks] == [2002, 2003, 2004]
    assert [mark.kind for mark in timeline.marks] == ["round", "done"]
    assert timeline.marks[0].x == 0
    assert timeline.marks[1].x == 500  # 2003-01-01 is half-way through 2002–2003
    assert 0 < timeline.start_x < timeline.end_x <= 1000


def test_a_card_shows_the_dates_it_has_and_nothing_for_those_it_lacks(analyst_client):
    FollowUpProjectFactory(title="Undated", status="proposed")
    FollowUpProjectFactory(title="Started", status="active", start_date=datetime.date(2003, 1, 1))
    FollowUpProjectFactory(title="Ending", status="approved", end_date=datetime.date(2006, 5, 1))
    FollowUpProjectFactory(
        title="Both",
        status="completed",
        start_date=datetime.date(2002, 1, 1),
        end_date=datetime.date(2004, 1, 1),
    )
    page = analyst_client.get("/followup/board/").text
    assert "? –" not in page and "?\u00a0–" not in page
    assert "from 2003-01-01" in page
    assert "until 2006-05-01" in page
    assert "2002-01-01 – 2004-01-01" in page
    undated = page.split(">Undated</a>", 1)[1].split("</li>", 1)[0]
    assert "–" not in undated and "202" not in undated
    assert 'class="layout stacked"' in page  # the five columns have the page's width


def test_a_card_names_its_project_in_the_readers_language(analyst_client):
    FollowUpProjectFactory(title="Legal aid", title_fr="Aide juridique", status="active")
    FollowUpProjectFactory(title="Prison reform", status="active")  # no French title
    english = analyst_client.get("/followup/board/").text
    french = analyst_client.get("/fr/followup/board/").text
    assert "Legal aid" in english and "Aide juridique" not in english
    assert "Aide juridique" in french
    assert '<span lang="en">Prison reform</span>' in french  # the English fallback, marked


def test_the_dashboards_overdue_card_names_the_assignee_and_links_the_action(
    analyst_client, make_user
):
    assignee = make_user("hana", "planner", first_name="Hana", last_name="Lee")
    action = FollowUpActionFactory(
        title="Send the trainers' list", assignee=assignee, due_date=datetime.date(2004, 1, 1)
    )
    page = analyst_client.get("/?dialogue=" + action.round.dialogue.slug).text
    assert f'<a href="{action.get_absolute_url()}">Send the trainers&#x27; list</a>' in page
    assert "(Hana Lee)" in page
