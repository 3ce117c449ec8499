"""The lists' counts are correlated subqueries (core/expressions.py)."""

import datetime

import pytest

from rounds import selectors
from rounds.models import Topic
from tests.rounds.factories import AgendaItemFactory, RoundFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_a_topic_counts_distinct_visible_rounds_and_their_years(analyst, make_user):
    topic = TopicFactory()
    early = RoundFactory(start_date=datetime.date(1999, 3, 1))
    late = RoundFactory(start_date=datetime.date(2004, 3, 1))
    AgendaItemFactory(round=early, topics=[topic])
    AgendaItemFactory(round=early, topics=[topic])  # the same round twice counts once
    AgendaItemFactory(round=late, topics=[topic], security_marking="protected_b")
    (row,) = selectors.topics_with_counts(Topic.objects.filter(pk=topic.pk), user=analyst)
    assert (row.times_raised, row.first_year, row.last_year) == (2, 1999, 2004)
    reader = make_user("reader", "analyst", clearance="protected_a")
    (row,) = selectors.topics_with_counts(Topic.objects.filter(pk=topic.pk), user=reader)
    assert (row.times_raised, row.first_year, row.last_year) == (1, 1999, 1999)


def test_a_topic_never_raised_counts_zero_with_no_years(analyst):
    topic = TopicFactory()
    (row,) = selectors.topics_with_counts(Topic.objects.filter(pk=topic.pk), user=analyst)
    assert (row.times_raised, row.first_year, row.last_year) == (0, None, None)


def test_the_topic_list_sorts_by_a_count(analyst_client):
    often, once = TopicFactory(name="Often raised"), TopicFactory(name="Raised once")
    for year in (2001, 2002):
        AgendaItemFactory(round=RoundFactory(start_date=datetime.date(year, 1, 1)), topics=[often])
    AgendaItemFactory(topics=[once])
    page = analyst_client.get("/topics/?sort=-times_raised").text
    assert page.index("Often raised") < page.index("Raised once")


def test_the_topic_list_counts_the_pages_topics_after_cutting_the_page(analyst_client):
    topic = TopicFactory(name="Counted on its page")
    for year in (2001, 2003):
        AgendaItemFactory(round=RoundFactory(start_date=datetime.date(year, 1, 1)), topics=[topic])
    for query in ("", "?sort=-times_raised", "?format=csv"):
        page = analyst_client.get(f"/topics/{query}").content.decode()
        row = next(line for line in page.splitlines() if "Counted on its page" in line)
        assert "2001" in row, query
        assert "2003" in row, query
