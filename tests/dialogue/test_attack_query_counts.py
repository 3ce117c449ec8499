"""An outsider grows the data under the pages issues 18 and 19 changed, beyond what the
generic page tests grow (one dialogue's history, a record's links, the CSV, a case's many
raisings): the query count stays the same."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rounds.models import CaseRaising, Round
from tests.followup.factories import FollowUpProjectFactory
from tests.rounds.factories import (
    AgendaItemFactory,
    CaseOfConcernFactory,
    CaseRaisingFactory,
    DialogueFactory,
    RoundFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def grow(dialogue, n, start):
    """`n` more held rounds of `dialogue`, each raising two new topics and one shared."""
    shared = TopicFactory(name=f"Shared {dialogue.slug} {start}")
    for i in range(n):
        round_ = RoundFactory(
            dialogue=dialogue,
            number=start + i,
            start_date=datetime.date(2000 + start + i, 6, 1),
            status=Round.Status.HELD,
        )
        AgendaItemFactory(round=round_, topics=[shared, TopicFactory(), TopicFactory()])


def test_the_analysts_views_keep_their_queries_as_a_dialogue_grows(client, make_user):
    client.force_login(
        make_user("pat", ("analyst", "planner"), clearance="protected_b", is_staff=True)
    )
    dialogue = DialogueFactory(slug="grown")
    other = DialogueFactory(slug="grown-too")
    grow(dialogue, 2, 1)
    grow(other, 2, 1)
    urls = [
        "/topics/continuity/?dialogue=grown",
        "/topics/continuity/?dialogue=grown&format=csv",
        "/topics/continuity/",
        "/topics/overlap/",
        "/followup/coverage/?dialogue=grown",
        "/followup/coverage/?dialogue=",
        "/followup/board/",
    ]
    small = {url: count(client, url) for url in urls}
    grow(dialogue, 8, 3)
    grow(other, 8, 3)
    large = {url: count(client, url) for url in urls}
    assert small == large


def test_a_projects_history_keeps_its_queries_as_its_links_change(admin_client):
    project = FollowUpProjectFactory(title="Linked")
    url = f"/history/followup/followupproject/{project.pk}/"

    def relink(n):
        for _ in range(n):
            project.topics.add(TopicFactory())
            project.originating_rounds.add(RoundFactory())
            project.title += "!"
            project.save()

    relink(1)
    small = count(admin_client, url)
    relink(6)
    assert count(admin_client, url) == small


def test_the_release_confirmation_keeps_its_queries_as_answers_pile_up(client, make_user):
    client.force_login(make_user("cora", "case_officer", clearance="protected_b"))
    case = CaseOfConcernFactory(status="detained")

    def report(n):
        for _ in range(n):
            round_ = RoundFactory(status=Round.Status.HELD)
            CaseRaisingFactory(
                case=case,
                round=round_,
                response=CaseRaising.Response.RELEASE_REPORTED,
                response_date=round_.start_date,
            )

    report(1)
    small = count(client, f"/cases/{case.pk}/released/")
    report(7)
    assert count(client, f"/cases/{case.pk}/released/") == small
