"""An outsider's attack on "Briefing pack for the next round" (issue 18, item 3): a held
round never opens its own pack; a round planned only to the month or the year, in the same
period as the held round, is still the next one; planning is offered only to those allowed."""

import datetime

import pytest

from rounds.models import Round
from tests.rounds.factories import DialogueFactory, RoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held():
    return RoundFactory(
        dialogue=DialogueFactory(slug="attack-next"),
        number=10,
        start_date=datetime.date(2027, 3, 5),
        end_date=datetime.date(2027, 3, 6),
        status=Round.Status.HELD,
    )


@pytest.mark.parametrize(
    ("day", "precision"),
    [(datetime.date(2027, 1, 1), "year"), (datetime.date(2027, 3, 1), "month")],
)
def test_a_round_planned_for_the_same_year_or_month_is_the_next_one(
    analyst_client, held, day, precision
):
    """Planned rounds are often known only as "2027" (stored as 1 January 2027): held in March
    2027, the dialogue's next round planned for "2027" is still ahead, not forgotten."""
    planned = RoundFactory(
        dialogue=held.dialogue,
        number=11,
        start_date=day,
        end_date=None,
        date_precision=precision,
        status=Round.Status.PLANNED,
    )
    response = analyst_client.get(f"/rounds/{held.pk}/briefing/next/")
    assert response.status_code == 302
    assert response["Location"] == f"/rounds/{planned.pk}/briefing/"


def test_a_held_round_never_opens_its_own_pack_even_on_the_same_day(analyst_client, held):
    """Another held round of the same day is not planned; a planned one of the same day is."""
    RoundFactory(dialogue=held.dialogue, number=9, start_date=held.start_date, status="held")
    response = analyst_client.get(f"/rounds/{held.pk}/briefing/next/")
    assert response.status_code == 200
    assert f'/rounds/{held.pk}/briefing/"' not in response.text


@pytest.mark.parametrize(
    ("role", "offered"),
    [("officer", True), ("analyst", False), ("planner", False), ("case_officer", False)],
)
def test_planning_is_offered_only_to_those_who_may_plan(client, make_user, held, role, offered):
    client.force_login(make_user("reader", role))
    response = client.get(f"/rounds/{held.pk}/briefing/next/")
    assert response.status_code == 200
    assert ("/rounds/new/?dialogue=attack-next" in response.text) is offered


def test_a_user_with_no_role_is_refused(client, outsider, held):
    client.force_login(outsider)
    assert client.get(f"/rounds/{held.pk}/briefing/next/").status_code == 403
    assert client.get(f"/rounds/{held.pk}/briefing/").status_code == 403
    assert client.get(f"/rounds/{held.pk}/briefing/?format=docx").status_code == 403


def test_a_hidden_planned_round_is_neither_opened_nor_named(client, make_user, held):
    hidden = RoundFactory(
        dialogue=held.dialogue,
        number=11,
        start_date=datetime.date(2028, 1, 1),
        status=Round.Status.PLANNED,
        security_marking="protected_b",
    )
    client.force_login(make_user("ana", "analyst", clearance="protected_a"))
    response = client.get(f"/rounds/{held.pk}/briefing/next/")
    assert response.status_code == 200
    assert f"/rounds/{hidden.pk}/" not in response.text
