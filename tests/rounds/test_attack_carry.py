"""Carrying an item of the previous round onto this round's agenda is done once: the same click
sent twice (a double click, a second tab, the browser's resubmission) does not put the item on
the agenda twice."""

import datetime

import pytest

from rounds.models import AgendaItem
from tests.rounds.factories import AgendaItemFactory, DialogueFactory, RoundFactory
from tests.rounds.test_recording import officer, officer_client  # noqa: F401

pytestmark = pytest.mark.django_db


def test_an_item_carried_twice_is_on_the_agenda_once(officer_client):  # noqa: F811
    dialogue = DialogueFactory()
    before = RoundFactory(dialogue=dialogue, start_date=datetime.date(2005, 2, 1))
    review = AgendaItemFactory(round=before, title="Overall review")
    round_ = RoundFactory(dialogue=dialogue, start_date=datetime.date(2027, 9, 14))
    url = f"/rounds/{round_.pk}/carry/{review.pk}/"
    assert officer_client.post(url, follow=True).status_code == 200
    again = officer_client.post(url, follow=True)
    assert again.status_code == 200
    said = [str(message) for message in again.context["messages"]]
    assert said == ["“Overall review” is already on this round's agenda."]
    assert AgendaItem.objects.filter(round=round_).count() == 1
