"""A list filtered through related records must only match through the ones the user may see:
rounds filtered by a topic raised only in a Protected B agenda item, or actions filtered by the
dialogue of a Protected B round, would tell the reader what the hidden item was about or where
the hidden round was held."""

import pytest
from django.urls import reverse

from core.models import SecurityMarking
from tests.followup.factories import FollowUpActionFactory
from tests.rounds.factories import AgendaItemFactory, RoundFactory, TopicFactory

pytestmark = pytest.mark.django_db

PB = SecurityMarking.PROTECTED_B


@pytest.fixture
def low_client(client, make_user):
    client.force_login(make_user("lou", ("officer", "planner"), clearance="unclassified"))
    return client


def listed(client, url) -> list:
    response = client.get(url)
    assert response.status_code == 200
    return [row.record.pk for row in response.context["table"].rows]


def test_rounds_by_topic_do_not_match_a_hidden_agenda_item(low_client):
    secret = TopicFactory(name="Secret topic", slug="secret-topic")
    open_topic = TopicFactory(name="Open topic", slug="open-topic")
    round_ = RoundFactory()
    AgendaItemFactory(round=round_, topics=[secret], security_marking=PB)
    AgendaItemFactory(round=round_, topics=[open_topic])
    url = reverse("rounds:round_list")

    assert listed(low_client, f"{url}?topic=open-topic") == [round_.pk]
    assert listed(low_client, f"{url}?topic=secret-topic") == []
    api = low_client.get("/api/v1/rounds/?topic=secret-topic").json()
    assert api["count"] == 0


def test_actions_by_dialogue_do_not_match_through_a_hidden_round(low_client):
    hidden_round = RoundFactory(security_marking=PB)
    FollowUpActionFactory(round=hidden_round)
    url = reverse("followup:action_list") + f"?dialogue={hidden_round.dialogue.slug}"
    assert listed(low_client, url) == []
