"""The date fields take any day the calendar holds, 0001-01-01 to 9999-12-31: a round recorded
at either end of it (its dialogue's first year unknown) is shown, briefed and exported like any
other, never a server error."""

import pytest

from rounds.models import Round
from tests.rounds.factories import DialogueFactory
from tests.rounds.test_recording import officer, officer_client  # noqa: F401

pytestmark = pytest.mark.django_db

PAGES = [
    "/rounds/{pk}/",
    "/rounds/{pk}/edit/",
    "/rounds/{pk}/briefing/",
    "/rounds/{pk}/briefing/?format=docx",
    "/rounds/{pk}/briefing/next/",
    "/rounds/",
    "/rounds/?format=xlsx",
    "/rounds/dialogues/{slug}/",
    "/rounds/dialogues/{slug}/export/",
    "/",
]


@pytest.mark.parametrize(
    ("day", "status"), [("0001-01-01", "held"), ("0002-06-30", "held"), ("9999-12-31", "planned")]
)
def test_a_round_at_either_end_of_the_calendar_is_shown_and_briefed(
    officer_client,  # noqa: F811
    day,
    status,
):
    dialogue = DialogueFactory(start_year=None)
    created = officer_client.post(
        "/rounds/new/",
        {
            "dialogue": dialogue.pk,
            "number": 1,
            "status": status,
            "start_date": day,
            "date_precision": "day",
            "cities": "Ottawa",
            "host_country": "CA",
            "security_marking": "unclassified",
        },
    )
    assert created.status_code == 302
    round_ = Round.objects.get(dialogue=dialogue)
    for page in PAGES:
        url = page.format(pk=round_.pk, slug=dialogue.slug)
        # The next round's briefing is this one's, if this one is still to come.
        assert officer_client.get(url).status_code in (200, 302), url
