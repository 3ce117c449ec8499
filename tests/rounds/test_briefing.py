"""The briefing pack an officer takes into a round."""

import datetime
from pathlib import Path

import pytest

from tests.followup.factories import BenchmarkEventFactory, FollowUpActionFactory
from tests.rounds.factories import AgendaItemFactory, CaseRaisingFactory, RoundFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_rounds():
    first = RoundFactory(start_date=datetime.date(2001, 2, 1), number=1)
    second = RoundFactory(dialogue=first.dialogue, start_date=datetime.date(2002, 2, 1), number=2)
    topic = TopicFactory(name="Administrative detention")
    AgendaItemFactory(round=first, topics=[topic])
    AgendaItemFactory(round=second, topics=[topic, TopicFactory(name="Minority languages")])
    return first, second, topic


def test_each_topic_shows_the_earlier_rounds_that_raised_it(analyst_client, two_rounds):
    _first, second, topic = two_rounds
    event = BenchmarkEventFactory(title="Signed the covenant")
    event.benchmark.topics.add(topic)
    FollowUpActionFactory(round=second, title="Send the statistics")
    page = analyst_client.get(f"/rounds/{second.pk}/briefing/").text
    assert "1 (2001)" in page
    assert "First time" in page  # the minority-languages topic is new at round 2
    assert "Send the statistics" in page
    assert "Signed the covenant" in page
    assert "@media print" in Path("static/css/app.css").read_text()


def test_cases_appear_for_case_officers_only(client, make_user, two_rounds):
    first, second, _topic = two_rounds
    CaseRaisingFactory(round=first, case__name="Canary Person")
    client.force_login(make_user("ana", "analyst", clearance="protected_b"))
    analyst_page = client.get(f"/rounds/{second.pk}/briefing/").text
    assert "Canary Person" not in analyst_page
    assert "Cases of concern" not in analyst_page
    client.force_login(make_user("cora", "case_officer", clearance="protected_b"))
    officer_page = client.get(f"/rounds/{second.pk}/briefing/").text
    assert "Canary Person" in officer_page


def test_the_pack_keeps_its_query_count_as_a_dialogue_grows(client, make_user, two_rounds):
    """At scale, every open action and every case of the dialogue is listed: one query each
    kind, however many there are."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first, second, _topic = two_rounds
    client.force_login(make_user("cora", "case_officer", clearance="protected_b"))
    url = f"/rounds/{second.pk}/briefing/"

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    FollowUpActionFactory(round=first)
    CaseRaisingFactory(round=first)
    small = count()
    for _ in range(5):
        FollowUpActionFactory(round=first)
        CaseRaisingFactory(round=first)
    assert count() == small


def test_the_pack_lists_the_open_actions_due_soonest_and_links_to_the_rest(
    analyst_client, two_rounds, monkeypatch
):
    from reports import briefing as selectors

    monkeypatch.setattr(selectors, "BRIEFING_ACTIONS", 2)
    _first, second, _topic = two_rounds
    for day, title in ((3, "Third due"), (1, "First due"), (2, "Second due")):
        FollowUpActionFactory(round=second, title=title, due_date=datetime.date(2003, 1, day))
    page = analyst_client.get(f"/rounds/{second.pk}/briefing/").text
    assert "First due" in page
    assert "Second due" in page
    assert "Third due" not in page
    assert "The 2 due soonest of 3 open actions." in page
    assert f"/followup/actions/?dialogue={second.dialogue.slug}" in page


def test_a_project_on_two_of_the_rounds_topics_is_listed_once_under_each(
    analyst_client, two_rounds
):
    from tests.followup.factories import FollowUpProjectFactory

    _first, second, topic = two_rounds
    other = second.agenda_items.get().topics.exclude(pk=topic.pk).get()
    project = FollowUpProjectFactory(title="Shared legal aid project")
    project.topics.set([topic, other])
    page = analyst_client.get(f"/rounds/{second.pk}/briefing/").text
    assert page.count("Shared legal aid project") == 2  # once a topic, never twice


def test_open_actions_include_those_of_projects_that_arose_from_the_dialogue(
    analyst_client, two_rounds
):
    from tests.followup.factories import FollowUpProjectFactory

    first, second, _topic = two_rounds
    arose = FollowUpProjectFactory()
    arose.originating_rounds.set([first, second])  # twice over: still listed once
    due = datetime.date(2003, 1, 1)
    FollowUpActionFactory(project=arose, round=None, due_date=due, title="Train the trainers")
    FollowUpActionFactory(
        project=FollowUpProjectFactory(), round=None, due_date=due, title="Unrelated work"
    )
    FollowUpActionFactory(round=RoundFactory(), title="Another dialogue's action")
    FollowUpActionFactory(round=first, title="Closed already", status="dropped")
    response = analyst_client.get(f"/rounds/{second.pk}/briefing/")
    page = response.text
    assert page.count("Train the trainers") == 1
    assert "Unrelated work" not in page
    assert "Another dialogue's action" not in page
    assert "Closed already" not in page
    assert response.context["open_action_count"] == 1
