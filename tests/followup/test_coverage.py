"""Follow-up coverage: which rounds and topics got a project."""

import datetime

import pytest

from demo.reference import reference_data_load
from reports import coverage as selectors
from rounds.models import Round, Topic
from tests.followup.factories import FollowUpProjectFactory
from tests.rounds.factories import AgendaItemFactory, DialogueFactory, RoundFactory, TopicFactory

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


def test_standing_items_are_left_out_of_coverage(analyst, analyst_client):
    first = RoundFactory(start_date=datetime.date(2001, 2, 1))
    second = RoundFactory(dialogue=first.dialogue, start_date=datetime.date(2002, 2, 1))
    review = TopicFactory(name="Overall review", standing=True)
    prisons = TopicFactory(name="Prisons")
    for round_ in (first, second):
        AgendaItemFactory(round=round_, topics=[review, prisons])
    result = selectors.coverage(rounds=Round.objects.all(), user=analyst)
    assert [row.topic for row in result.topics] == [prisons]
    assert [row.topic for row in result.never_followed_up] == [prisons]
    assert [(row.topics, row.covered) for row in result.rounds] == [(1, 0), (1, 0)]
    page = analyst_client.get("/followup/coverage/").text
    assert "Overall review" not in page
    assert "Standing items" in page  # the page says they are left out


def test_it_covers_the_dashboards_dialogue_unless_another_is_chosen(analyst_client):
    main, other = DialogueFactory(name="Main dialogue"), DialogueFactory(name="Other dialogue")
    for year in (2001, 2002):
        AgendaItemFactory(
            round=RoundFactory(dialogue=main, start_date=datetime.date(year, 2, 1)),
            topics=[TopicFactory(name=f"Main topic {year}")],
        )
    AgendaItemFactory(round=RoundFactory(dialogue=other), topics=[TopicFactory(name="Elsewhere")])

    page = analyst_client.get("/followup/coverage/")
    assert page.context["form"]["dialogue"].value() == main.slug  # chosen in the filter
    assert "Main topic 2001" in page.text
    assert "Elsewhere" not in page.text
    assert "Dialogue: Main dialogue." in page.text

    chosen = analyst_client.get(f"/followup/coverage/?dialogue={other.slug}").text
    assert "Elsewhere" in chosen and "Main topic 2001" not in chosen

    every = analyst_client.get("/followup/coverage/?dialogue=").text
    assert "Elsewhere" in every and "Main topic 2001" in every
    assert "Dialogue: all dialogues." in every

    wrong = analyst_client.get("/followup/coverage/?dialogue=nope")
    assert wrong.status_code == 200
    assert "Select a valid choice." in wrong.text


def test_on_the_reference_data_the_standing_items_never_need_a_project(analyst, analyst_client):
    reference_data_load()
    standing = set(Topic.objects.filter(standing=True).values_list("slug", flat=True))
    assert standing == {"overall-review", "cases-of-concern"}
    page = analyst_client.get("/followup/coverage/")
    assert page.context["form"].cleaned_data["dialogue"].slug == "canada-china-jchr"
    never = {row.topic.slug for row in page.context["coverage"].never_followed_up}
    assert never  # the JCHR still has recurring themes without a project
    assert not never & standing
    assert "Individual cases of concern" not in page.text
    assert "Overall human rights situation" not in page.text


def test_an_administrator_marks_a_topic_as_standing_in_the_admin(admin_client):
    from django.urls import reverse

    response = admin_client.post(
        reverse("admin:rounds_topic_add"),
        {"name": "Overall review", "slug": "overall", "category": "other", "standing": "on"},
    )
    assert response.status_code == 302
    assert Topic.objects.get(slug="overall").standing is True
    listing = admin_client.get(reverse("admin:rounds_topic_changelist") + "?standing__exact=1")
    assert "Overall review" in listing.text
