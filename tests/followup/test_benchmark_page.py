"""A benchmark's page: its events on a timeline with sources, its topics, the rounds that
pressed it."""

import datetime

import pytest

from tests.followup.factories import BenchmarkEventFactory, BenchmarkFactory
from tests.rounds.factories import AgendaItemFactory, RoundFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_events_in_date_order_with_sources_and_the_rounds_that_pressed_it(analyst_client):
    topic = TopicFactory(name="Economic and social rights")
    benchmark = BenchmarkFactory(name="Ratify the ICESCR")
    benchmark.topics.add(topic)
    BenchmarkEventFactory(
        benchmark=benchmark,
        date=datetime.date(2001, 3, 27),
        title="Ratified",
        source="UN Treaty Collection",
        source_url="https://treaties.un.org/",
    )
    BenchmarkEventFactory(
        benchmark=benchmark, date=datetime.date(1997, 10, 27), title="Signed", source="UN"
    )
    BenchmarkEventFactory(benchmark=benchmark, title="Hidden event", security_marking="protected_b")
    pressed = RoundFactory(cities="Beijing")
    AgendaItemFactory(round=pressed, topics=[topic])
    RoundFactory(cities="Elsewhere")
    client = analyst_client
    page = client.get(f"/followup/benchmarks/{benchmark.pk}/").text
    assert page.index("Signed") < page.index("Ratified")
    assert 'href="https://treaties.un.org/"' in page
    assert str(pressed) in page
    assert "Elsewhere" not in page
    assert "Ratify the ICESCR" in client.get("/followup/benchmarks/").text


def test_an_uncleared_reader_sees_neither_hidden_events_nor_hidden_benchmarks(client, make_user):
    client.force_login(make_user("low", "analyst", clearance="unclassified"))
    benchmark = BenchmarkFactory()
    BenchmarkEventFactory(benchmark=benchmark, title="Hidden event", security_marking="protected_b")
    assert "Hidden event" not in client.get(f"/followup/benchmarks/{benchmark.pk}/").text
    secret = BenchmarkFactory(security_marking="protected_b")
    assert client.get(f"/followup/benchmarks/{secret.pk}/").status_code == 404
