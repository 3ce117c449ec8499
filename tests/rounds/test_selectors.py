"""Continuity, overlap, a topic's timeline and a round's delegation continuity."""

import datetime

import pytest

from reports import continuity as matrix
from reports import overlap
from rounds import selectors
from rounds.models import Topic
from tests.followup.factories import FollowUpProjectFactory
from tests.rounds.factories import AgendaItemFactory, DialogueFactory, RoundFactory, TopicFactory
from tests.stakeholders.factories import (
    DelegationFactory,
    DelegationMemberFactory,
    OrganizationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dialogue_rounds():
    """Four rounds of one dialogue, 2000, 2001, 2003 and 2004."""
    dialogue = DialogueFactory(slug="jchr", partner_party="CN")
    years = [2000, 2001, 2003, 2004]
    return dialogue, [
        RoundFactory(dialogue=dialogue, number=i + 1, start_date=datetime.date(year, 10, 1))
        for i, year in enumerate(years)
    ]


def raise_topic(topic, *rounds):
    for round_ in rounds:
        AgendaItemFactory(round=round_, topics=[topic])


def rows_by_slug(continuity):
    return {row.topic.slug: row for row in continuity.rows}


def test_continuity_marks_recurring_dropped_and_once(analyst, dialogue_rounds):
    dialogue, (r1, r2, r3, r4) = dialogue_rounds
    recurring, dropped, once = (
        TopicFactory(slug="a"),
        TopicFactory(slug="b"),
        TopicFactory(slug="c"),
    )
    raise_topic(recurring, r1, r2, r4)
    raise_topic(dropped, r1, r3)
    raise_topic(once, r4)
    rows = rows_by_slug(matrix.topic_continuity(user=analyst, dialogues=[dialogue]))
    assert (rows["a"].recurring, rows["a"].dropped, rows["a"].once) == (True, False, False)
    assert (rows["b"].recurring, rows["b"].dropped, rows["b"].once) == (False, True, False)
    assert (rows["c"].recurring, rows["c"].dropped, rows["c"].once) == (False, False, True)


def test_continuity_counts_rounds_per_year_with_empty_years_as_columns(analyst, dialogue_rounds):
    dialogue, (r1, _r2, _r3, r4) = dialogue_rounds
    topic = TopicFactory(slug="a")
    raise_topic(topic, r1, r4)
    AgendaItemFactory(round=r1, topics=[topic])  # a second item in the same round counts once
    continuity = matrix.topic_continuity(user=analyst, dialogues=[dialogue])
    assert continuity.years == [2000, 2001, 2002, 2003, 2004]
    assert [cell.count for cell in continuity.rows[0].cells] == [1, 0, 0, 0, 1]
    assert continuity.rows[0].total == 2


def test_continuity_knows_which_topics_were_followed_up(analyst, dialogue_rounds):
    dialogue, (r1, *_rest) = dialogue_rounds
    followed, ignored = TopicFactory(slug="a"), TopicFactory(slug="b")
    raise_topic(followed, r1)
    raise_topic(ignored, r1)
    FollowUpProjectFactory().topics.add(followed)
    rows = rows_by_slug(matrix.topic_continuity(user=analyst, dialogues=[dialogue]))
    assert rows["a"].followed_up
    assert not rows["b"].followed_up


def test_continuity_filters_years_category_and_minimum(analyst, dialogue_rounds):
    dialogue, (r1, r2, r3, r4) = dialogue_rounds
    often = TopicFactory(slug="often", category=Topic.Category.RELIGION)
    rare = TopicFactory(slug="rare", category=Topic.Category.JUSTICE)
    raise_topic(often, r1, r2, r3)
    raise_topic(rare, r4)
    assert set(
        rows_by_slug(matrix.topic_continuity(user=analyst, dialogues=[dialogue], min_count=2))
    ) == {"often"}
    assert set(
        rows_by_slug(
            matrix.topic_continuity(user=analyst, dialogues=[dialogue], category="justice")
        )
    ) == {"rare"}
    ranged = matrix.topic_continuity(
        user=analyst, dialogues=[dialogue], year_from=2003, year_to=2004
    )
    assert ranged.years == [2003, 2004]
    assert rows_by_slug(ranged)["often"].total == 1


def test_continuity_sorts_by_first_year_frequency_or_name(analyst, dialogue_rounds):
    dialogue, (r1, r2, r3, r4) = dialogue_rounds
    zebra, apple = TopicFactory(slug="z", name="Zebra"), TopicFactory(slug="a", name="Apple")
    raise_topic(zebra, r1)
    raise_topic(apple, r2, r3, r4)

    def order(sort):
        result = matrix.topic_continuity(user=analyst, dialogues=[dialogue], sort=sort)
        return [row.topic.slug for row in result.rows]

    assert order("first") == ["z", "a"]
    assert order("frequency") == ["a", "z"]
    assert order("name") == ["a", "z"]


def test_protected_agenda_items_stay_out_for_a_user_not_cleared(make_user, dialogue_rounds):
    dialogue, (r1, *_rest) = dialogue_rounds
    secret = TopicFactory(slug="secret")
    AgendaItemFactory(round=r1, topics=[secret], security_marking="protected_b")
    reader = make_user("reader", "analyst", clearance="unclassified")
    assert not matrix.topic_continuity(user=reader, dialogues=[dialogue]).rows


def test_overlap_finds_topics_raised_in_two_dialogues_the_same_year(analyst):
    canada, uk = DialogueFactory(partner_party="CN"), DialogueFactory(partner_party="CN")
    elsewhere = DialogueFactory(partner_party="VN")
    shared, alone = TopicFactory(slug="shared"), TopicFactory(slug="alone")
    raise_topic(shared, RoundFactory(dialogue=canada, start_date=datetime.date(2002, 11, 1)))
    raise_topic(shared, RoundFactory(dialogue=uk, start_date=datetime.date(2002, 5, 1)))
    raise_topic(shared, RoundFactory(dialogue=elsewhere, start_date=datetime.date(2003, 5, 1)))
    raise_topic(alone, RoundFactory(dialogue=canada, start_date=datetime.date(2003, 11, 1)))
    raise_topic(shared, RoundFactory(dialogue=uk, start_date=datetime.date(2003, 1, 1)))
    rows = overlap.topic_overlap(user=analyst)
    assert [(row.topic.slug, row.year, row.dialogue_count) for row in rows] == [("shared", 2002, 2)]
    assert overlap.topic_overlap(user=analyst, year_from=2003) == []


def test_overlap_is_ordered_by_year_then_most_dialogues_then_topic_name(analyst):
    one, two, three = (DialogueFactory(partner_party="CN") for _ in range(3))
    prisons, courts, women = (TopicFactory(name=n) for n in ("Prisons", "Courts", "Women"))
    for year, dialogues, topics in [
        (2004, (one, two), (prisons, courts)),
        (2004, (three,), (courts,)),
        (2003, (one, two), (women,)),
        (2004, (three,), (women,)),
        (2004, (one,), (women,)),
    ]:
        for dialogue in dialogues:
            round_ = RoundFactory(dialogue=dialogue, start_date=datetime.date(year, 5, 1))
            for topic in topics:
                raise_topic(topic, round_)
    rows = overlap.topic_overlap(user=analyst)
    assert [(row.year, row.dialogue_count, row.topic.name) for row in rows] == [
        (2003, 2, "Women"),
        (2004, 3, "Courts"),
        (2004, 2, "Prisons"),
        (2004, 2, "Women"),
    ]


def test_topic_page_finds_runs_and_gaps(analyst, dialogue_rounds):
    _dialogue, (r1, r2, _r3, r4) = dialogue_rounds
    topic = TopicFactory()
    raise_topic(topic, r1, r2, r4)
    page = selectors.topic_page(topic=topic, user=analyst)
    assert page["longest_run"] == 2
    assert page["gaps"] == [(2001, 2004)]
    assert (page["first_year"], page["last_year"], page["round_count"]) == (2000, 2004, 3)


def test_round_page_measures_delegation_continuity(analyst, dialogue_rounds):
    _dialogue, (r1, r2, *_rest) = dialogue_rounds
    veteran, newcomer = PersonFactory(), PersonFactory()
    justice = OrganizationFactory()
    before = DelegationFactory(round=r1, side="partner")
    DelegationMemberFactory(delegation=before, person=veteran)
    DelegationMemberFactory(delegation=before, person=None, organization=justice)
    now = DelegationFactory(round=r2, side="partner")
    DelegationMemberFactory(delegation=now, person=veteran)
    DelegationMemberFactory(delegation=now, person=newcomer)
    DelegationMemberFactory(delegation=now, person=None, organization=justice)
    page = selectors.round_page(round_=r2, user=analyst)
    ((_delegation, share),) = page["delegations"]
    assert share == (2, 3)
    assert page["previous_round"] == r1


def test_the_dialogue_page_charts_each_sides_head_rank(analyst, dialogue_rounds):
    dialogue, (r1, r2, *_rest) = dialogue_rounds
    DelegationFactory(round=r1, side="partner", head_rank=7)
    DelegationFactory(round=r2, side="partner", head_rank=4)
    DelegationFactory(round=r2, side="lead", head_rank=6)
    page = selectors.dialogue_page(dialogue=dialogue, user=analyst)
    ranks = [(p.label if p else None) for _r, _l, p in page["rank_rows"]][:2]
    assert ranks == ["Deputy minister or vice-minister", "Director general"]
    chart = page["rank_chart"]
    (x1, y1), (x2, y2) = chart["partner_points"]
    assert x2 > x1
    assert y2 > y1  # a lower rank is drawn lower
    assert len(chart["lead_points"]) == 1
