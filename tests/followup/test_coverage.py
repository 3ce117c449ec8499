"""Follow-up coverage: which rounds and topics got a project."""

import datetime

import pytest

from reports import coverage as selectors
from rounds.models import Round
from tests.followup.factories import FollowUpProjectFactory
from tests.rounds.factories import AgendaItemFactory, RoundFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_coverage_by_round_topic_and_year(analyst, analyst_client):
    first = RoundFactory(start_date=datetime.date(2001, 2, 1))
    second = RoundFactory(dialogue=first.dialogue, start_date=datetime.date(2002, 2, 1))
    legal, prisons, women = (TopicFactory(name=n) for n in ("Legal aid", "Prisons", "Women"))
    AgendaItemFactory(round=first, topics=[legal, prisons])
    AgendaItemFactory(round=second, topics=[legal, prisons, women])
    project = FollowUpProjectFactory()
    project.topics.add(legal)
    project.originating_rounds.add(first)
    FollowUpProjectFactory(security_marking="protected_b").topics.add(women)  # analyst: PB

    result = selectors.coverage(rounds=Round.objects.all(), user=analyst)
    rows = {row.round: row for row in result.rounds}
    assert (rows[first].topics, rows[first].covered, rows[first].has_project) == (2, 1, True)
    assert (rows[second].topics, rows[second].covered, rows[second].percent) == (3, 2, 67)
    assert [t.topic for t in result.never_followed_up] == [prisons]
    assert [(y.year, y.topics, y.covered, y.percent) for y in result.years] == [
        (2001, 2, 1, 50),
        (2002, 3, 2, 67),
    ]
    page = analyst_client.get("/followup/coverage/").text
    assert "Prisons" in page
    assert "67%" in page


def test_coverage_respects_clearance(make_user):
    low = make_user("low", "analyst", clearance="unclassified")
    round_ = RoundFactory()
    topic = TopicFactory()
    AgendaItemFactory(round=round_, topics=[topic])
    FollowUpProjectFactory(security_marking="protected_b").topics.add(topic)
    result = selectors.coverage(rounds=Round.objects.all(), user=low)
    assert result.topics[0].covered is False


def test_a_bad_year_is_named_and_the_report_still_renders(analyst_client):
    response = analyst_client.get("/followup/coverage/?year_from=abc")
    assert response.status_code == 200
    assert "Enter a whole number." in response.text


def test_the_rounds_are_built_for_the_page_asked_and_a_deleted_one_is_left_out(analyst):
    first = RoundFactory(start_date=datetime.date(2001, 2, 1))
    second = RoundFactory(dialogue=first.dialogue, start_date=datetime.date(2002, 2, 1))
    third = RoundFactory(dialogue=first.dialogue, start_date=datetime.date(2003, 2, 1))
    result = selectors.coverage(rounds=Round.objects.all(), user=analyst)
    assert len(result.rounds) == 3
    assert [row.round for row in result.rounds[1:]] == [second, third]
    assert result.rounds[-1].round == third
    first.delete()  # between counting the report and showing its page
    assert [row.round for row in result.rounds[0:2]] == [second]
