"""What a page says may come from a Protected B record even when it names none: that a topic
was raised at a round, read from a Protected B agenda item. The page's marking must count it."""

import datetime
import re

import pytest

from core.models import SecurityMarking
from rounds.models import Round
from tests.rounds.factories import (
    AgendaItemFactory,
    CaseOfConcernFactory,
    CaseRaisingFactory,
    DialogueFactory,
    RoundFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

PB = SecurityMarking.PROTECTED_B


@pytest.fixture
def raised_in_confidence():
    """Topic "Quiet topic" raised at round 1 only through a Protected B agenda item (round 1
    and everything else Unclassified); round 3 is planned with it on its agenda."""
    dialogue = DialogueFactory(slug="quiet")
    topic = TopicFactory(name="Quiet topic")
    first = RoundFactory(
        dialogue=dialogue, number=1, start_date=datetime.date(2020, 1, 1), status="held"
    )
    AgendaItemFactory(
        round=first, title="Raised in confidence", topics=[topic], security_marking=PB
    )
    second = RoundFactory(
        dialogue=dialogue, number=2, start_date=datetime.date(2022, 1, 1), status="held"
    )
    AgendaItemFactory(round=second, title="Open item", topics=[topic])
    planned = RoundFactory(
        dialogue=dialogue,
        number=3,
        start_date=datetime.date(2030, 1, 1),
        status=Round.Status.PLANNED,
    )
    AgendaItemFactory(round=planned, title="Planned", topics=[topic])
    return planned


@pytest.fixture
def reader(client, make_user):
    client.force_login(make_user("ana", "analyst", clearance=PB))
    return client


def test_the_packs_topics_section_counts_the_items_that_place_a_topic_at_a_round(
    reader, raised_in_confidence
):
    page = reader.get(f"/rounds/{raised_in_confidence.pk}/briefing/").text
    topics = page.split('<section aria-labelledby="topics">', 1)[1].split("</section>")[0]
    assert "1 (2020), 2 (2022)" in topics  # round 1 is known from the Protected B item alone
    assert "Section marking: Protected B" in topics


def test_the_continuity_matrix_is_marked_by_the_items_it_draws(reader, raised_in_confidence):
    page = reader.get("/topics/continuity/?dialogue=quiet")
    assert "Quiet topic" in page.text
    assert page["X-Security-Marking"] == PB
    csv = reader.get("/topics/continuity/?dialogue=quiet&format=csv")
    assert csv["X-Security-Marking"] == PB


def test_the_overlap_and_the_coverage_are_marked_by_the_items_they_count(reader):
    """Two dialogues with China raise a topic in 2021, one of them in a Protected B item."""
    topic = TopicFactory(name="Shared quiet topic")
    for slug, marking in (("one", "unclassified"), ("two", PB)):
        round_ = RoundFactory(
            dialogue=DialogueFactory(slug=f"overlap-{slug}"),
            start_date=datetime.date(2021, 6, 1),
            status="held",
        )
        AgendaItemFactory(round=round_, topics=[topic], security_marking=marking)
    overlap = reader.get("/topics/overlap/?partner=CN")
    assert "Shared quiet topic" in overlap.text
    assert overlap["X-Security-Marking"] == PB
    coverage = reader.get("/followup/coverage/?dialogue=overlap-two")
    assert "Shared quiet topic" in coverage.text
    assert coverage["X-Security-Marking"] == PB


def test_follow_up_known_from_a_protected_b_project_marks_continuity_and_coverage(reader):
    """That a topic "has a follow-up project" may be known from a Protected B project alone."""
    from tests.followup.factories import FollowUpProjectFactory

    topic = TopicFactory(name="Followed in confidence")
    round_ = RoundFactory(
        dialogue=DialogueFactory(slug="followed"), start_date=datetime.date(2021, 6, 1)
    )
    AgendaItemFactory(round=round_, topics=[topic])
    project = FollowUpProjectFactory(title="Quiet project", security_marking=PB)
    project.topics.set([topic])
    project.originating_rounds.set([round_])
    continuity = reader.get("/topics/continuity/?dialogue=followed")
    assert "Followed in confidence" in continuity.text
    matrix = continuity.text.split('class="data-table matrix"', 1)[1].split("</table>")[0]
    assert "Followed in confidence" in matrix and "No follow-up" not in matrix
    assert continuity["X-Security-Marking"] == PB
    coverage = reader.get("/followup/coverage/?dialogue=followed")
    assert "Followed in confidence" in coverage.text
    assert coverage["X-Security-Marking"] == PB


def host_options(page) -> list[str]:
    select = page.text.split('<select name="host_country"', 1)[1].split("</select>")[0]
    return re.findall(r'<option value="([A-Z]*)"', select)


def test_the_round_lists_host_countries_are_marked_by_the_rounds_that_hosted_them(reader):
    """The host country filter offers the countries where a round the reader may see was held:
    that a round was held in Norway may be known from a Protected B round alone."""
    RoundFactory(host_country="CN")
    RoundFactory(host_country="NO", security_marking=PB)
    page = reader.get("/rounds/?host_country=CN")  # lists the Unclassified round alone
    assert host_options(page) == ["", "CN", "NO"]
    assert page["X-Security-Marking"] == PB
    # What does not draw the filter says nothing of Norway: it is marked by its rows alone.
    partial = reader.get(
        "/rounds/?host_country=CN", headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert 'name="host_country"' not in partial.text
    for response in (
        partial,
        reader.get("/rounds/?host_country=CN&format=csv"),
        reader.get("/api/v1/rounds/?host_country=CN"),
    ):
        assert response.status_code == 200
        assert response["X-Security-Marking"] == "unclassified"


def test_a_host_country_known_from_an_unclassified_round_marks_nothing_higher(reader):
    RoundFactory(host_country="CN")
    RoundFactory(host_country="NO")
    RoundFactory(host_country="NO", security_marking=PB)
    page = reader.get("/rounds/?host_country=CN")
    assert host_options(page) == ["", "CN", "NO"]
    assert page["X-Security-Marking"] == "unclassified"


@pytest.mark.parametrize("marked", ["raising", "case"])
def test_answers_on_cases_are_marked_by_the_raisings_and_cases_they_count(
    client, make_user, marked
):
    """An Unclassified round at which a case was raised, the raising or the case Protected B:
    the report's numbers (and the dashboard's chart of them) come from it."""
    client.force_login(make_user("cora", "case_officer", clearance=PB))
    round_ = RoundFactory(
        dialogue=DialogueFactory(slug="cases"),
        start_date=datetime.date(2021, 6, 1),
        end_date=datetime.date(2021, 6, 2),
        status="held",
    )
    case = CaseOfConcernFactory(security_marking=PB if marked == "case" else "unclassified")
    CaseRaisingFactory(
        case=case,
        round=round_,
        response="information",
        response_date=datetime.date(2021, 6, 12),
        security_marking=PB if marked == "raising" else "unclassified",
    )
    answers = client.get("/cases/answers/")
    assert re.search(r">1</td><td class=\"num\">1</td>", answers.text)  # raised 1, answered 1
    assert answers["X-Security-Marking"] == PB
    dashboard = client.get("/?dialogue=cases")
    assert dashboard.status_code == 200
    assert dashboard["X-Security-Marking"] == PB
    # A plain string, as a WSGI server takes a header (not a SecurityMarking member).
    assert type(answers["X-Security-Marking"]) is type(dashboard["X-Security-Marking"]) is str
