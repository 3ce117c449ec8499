"""Sorting a list by a column that reads a record the user may not see (an action's project or
round, a consultation's round) would order the rows by that record's name or date, and so tell
it bit by bit: such a column is not sortable for them, on the page or in its export."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from core.models import SecurityMarking
from tests.followup.factories import FollowUpActionFactory, FollowUpProjectFactory
from tests.rounds.factories import RoundFactory
from tests.stakeholders.factories import ConsultationFactory

pytestmark = pytest.mark.django_db

PB = SecurityMarking.PROTECTED_B


def first_column(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    return [row[0] for row in rows[1:]]


@pytest.fixture
def low_client(client, make_user):
    user = make_user("lou", ("officer", "planner", "analyst"), clearance="unclassified")
    client.force_login(user)
    return client


def test_actions_sorted_by_project_do_not_follow_a_hidden_projects_title(low_client):
    hidden = FollowUpProjectFactory(title="Alpha", security_marking=PB)
    FollowUpActionFactory(title="In the hidden project", project=hidden)
    FollowUpActionFactory(title="In Mike", project=FollowUpProjectFactory(title="Mike"))
    url = reverse("followup:action_list") + "?sort=project&format=csv"

    before = first_column(low_client, url)
    hidden.title = "Zulu"
    hidden.save()
    after = first_column(low_client, url)

    assert len(before) == 2
    assert before == after


def test_actions_sorted_by_round_do_not_follow_a_hidden_rounds_date(low_client):
    hidden = RoundFactory(start_date=datetime.date(1990, 1, 1), security_marking=PB)
    FollowUpActionFactory(title="At the hidden round", round=hidden, due_date=hidden.start_date)
    shown = RoundFactory(start_date=datetime.date(2005, 1, 1))
    FollowUpActionFactory(title="At the open round", round=shown, due_date=shown.start_date)
    url = reverse("followup:action_list") + "?sort=round&format=csv"

    before = first_column(low_client, url)
    hidden.start_date, hidden.end_date = datetime.date(2020, 1, 1), datetime.date(2020, 1, 2)
    hidden.save()
    after = first_column(low_client, url)

    assert len(before) == 2
    assert before == after


def test_consultations_sorted_by_round_do_not_follow_a_hidden_rounds_date(low_client):
    hidden = RoundFactory(start_date=datetime.date(1990, 1, 1), security_marking=PB)
    shown = RoundFactory(dialogue=hidden.dialogue, start_date=datetime.date(2005, 1, 1))
    date = datetime.date(2010, 1, 1)
    for round_, location in ((hidden, "Near"), (shown, "Far")):
        ConsultationFactory(
            dialogue=hidden.dialogue,
            round=round_,
            location=location,
            date=date,
            security_marking=SecurityMarking.UNCLASSIFIED,
        )
    url = reverse("stakeholders:consultation_list") + "?sort=round&format=csv"

    def locations():
        response = low_client.get(url)
        assert response.status_code == 200
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        return [row["Location"] for row in rows]

    before = locations()
    hidden.start_date, hidden.end_date = datetime.date(2020, 1, 1), datetime.date(2020, 1, 2)
    hidden.save()
    after = locations()

    assert len(before) == 2
    assert before == after


def test_a_reader_cleared_for_everything_still_sorts_by_project(client, make_user):
    client.force_login(make_user("pat", "planner", clearance="protected_b"))
    FollowUpActionFactory(title="In Zulu", project=FollowUpProjectFactory(title="Zulu"))
    FollowUpActionFactory(
        title="In Alpha", project=FollowUpProjectFactory(title="Alpha", security_marking=PB)
    )
    url = reverse("followup:action_list") + "?sort=project&format=csv"
    assert first_column(client, url) == ["In Alpha", "In Zulu"]
    assert first_column(client, url.replace("sort=project", "sort=-project")) == [
        "In Zulu",
        "In Alpha",
    ]
