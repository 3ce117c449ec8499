import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import DatePrecision, SecurityMarking, Side
from rounds.models import AgendaItem, CaseRaising, Round
from tests.helpers import assert_invalid
from tests.rounds.factories import (
    AgendaItemFactory,
    CaseOfConcernFactory,
    CaseRaisingFactory,
    DialogueFactory,
    MaterialFactory,
    RoundFactory,
    SiteVisitFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


class TestDialogue:
    def test_it_rejects_last_year_before_first(self):
        dialogue = DialogueFactory.build(start_year=2000, end_year=1999)
        assert_invalid(dialogue, "end_year", "cannot be before the first year")

    def test_it_accepts_a_single_year(self):
        DialogueFactory.build(start_year=2000, end_year=2000).full_clean()

    def test_it_rejects_the_same_party_on_both_sides(self):
        dialogue = DialogueFactory.build(lead_party="CA", partner_party="CA")
        assert_invalid(dialogue, "partner_party", "must differ")

    def test_the_database_refuses_last_year_before_first(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            DialogueFactory(start_year=2000, end_year=1990)

    def test_the_european_union_is_a_party(self):
        dialogue = DialogueFactory.build(lead_party="EU")
        dialogue.full_clean()
        assert dialogue.lead_party.name == "European Union"


class TestRound:
    def test_it_rejects_end_before_start(self):
        round_ = RoundFactory.build(
            dialogue=DialogueFactory(),
            start_date=datetime.date(2005, 11, 1),
            end_date=datetime.date(2005, 10, 31),
        )
        assert_invalid(round_, "end_date", "cannot be before the start date")

    def test_it_accepts_a_one_day_round(self):
        day = datetime.date(2005, 11, 1)
        RoundFactory.build(dialogue=DialogueFactory(), start_date=day, end_date=day).full_clean()

    def test_the_database_refuses_end_before_start(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            RoundFactory(start_date=datetime.date(2005, 11, 1), end_date=datetime.date(2005, 1, 1))

    def test_it_rejects_a_number_used_twice_in_a_dialogue(self):
        existing = RoundFactory(number=4)
        duplicate = RoundFactory.build(dialogue=existing.dialogue, number=4)
        assert_invalid(duplicate, "__all__", "already has a round with this number")

    def test_the_same_number_is_allowed_in_another_dialogue(self):
        RoundFactory(number=4)
        RoundFactory.build(dialogue=DialogueFactory(), number=4).full_clean()

    def test_several_rounds_may_lack_a_number(self):
        first = RoundFactory(number=None)
        RoundFactory(dialogue=first.dialogue, number=None)
        assert Round.objects.filter(number__isnull=True).count() == 2

    def test_it_rejects_a_round_before_the_dialogue_began(self):
        round_ = RoundFactory.build(
            dialogue=DialogueFactory(start_year=1997), start_date=datetime.date(1996, 12, 1)
        )
        assert_invalid(round_, "start_date", "began in 1997")

    def test_it_accepts_a_round_in_the_first_year(self):
        round_ = RoundFactory.build(
            dialogue=DialogueFactory(start_year=1997), start_date=datetime.date(1997, 1, 1)
        )
        round_.full_clean()

    def test_it_rejects_a_round_after_the_dialogue_ended(self):
        round_ = RoundFactory.build(
            dialogue=DialogueFactory(start_year=1997, end_year=2005),
            start_date=datetime.date(2006, 1, 1),
        )
        assert_invalid(round_, "start_date", "ended in 2005")

    def test_it_rejects_a_future_round_marked_held(self):
        future = timezone.localdate() + datetime.timedelta(days=30)
        round_ = RoundFactory.build(
            dialogue=DialogueFactory(), start_date=future, end_date=None, status="held"
        )
        assert_invalid(round_, "status", "cannot have been held yet")

    def test_it_accepts_a_future_round_marked_planned(self):
        future = timezone.localdate() + datetime.timedelta(days=30)
        RoundFactory.build(
            dialogue=DialogueFactory(), start_date=future, end_date=None, status="planned"
        ).full_clean()

    def test_its_name_says_dialogue_number_and_year(self):
        round_ = RoundFactory(
            dialogue=DialogueFactory(acronym="JCHR"), number=9, start_date=datetime.date(2005, 1, 1)
        )
        assert str(round_) == "JCHR, round 9 (2005)"


class TestTopic:
    def test_it_rejects_itself_as_parent(self):
        topic = TopicFactory()
        topic.parent = topic
        assert_invalid(topic, "parent", "own broader topic")

    def test_it_rejects_a_cycle_through_another_topic(self):
        upper = TopicFactory()
        lower = TopicFactory(parent=upper)
        upper.parent = lower
        assert_invalid(upper, "parent", "own broader topic")

    def test_it_accepts_a_chain_of_parents(self):
        top = TopicFactory()
        middle = TopicFactory(parent=top)
        TopicFactory.build(parent=middle).full_clean()

    def test_aliases_are_read_one_per_line(self):
        topic = TopicFactory.build(aliases="ICCPR\n\n  PIDCP  \n")
        assert topic.alias_list == ["ICCPR", "PIDCP"]


class TestAgendaItem:
    def test_it_rejects_a_raising_side_outside_the_concerns_segment(self):
        item = AgendaItemFactory.build(
            round=RoundFactory(), segment=AgendaItem.Segment.THEMATIC, raised_by=Side.PARTNER
        )
        assert_invalid(item, "raised_by", "Concerns raised")

    def test_either_side_may_raise_a_concern(self):
        for side in (Side.LEAD, Side.PARTNER):
            AgendaItemFactory.build(
                round=RoundFactory(), segment=AgendaItem.Segment.CONCERNS, raised_by=side
            ).full_clean()

    def test_one_item_maps_to_several_topics(self):
        iccpr, icescr = TopicFactory(), TopicFactory()
        item = AgendaItemFactory(topics=[iccpr, icescr])
        assert set(item.topics.all()) == {iccpr, icescr}


class TestSiteVisit:
    def test_it_rejects_end_before_start(self):
        visit = SiteVisitFactory.build(
            round=RoundFactory(),
            start_date=datetime.date(2005, 11, 3),
            end_date=datetime.date(2005, 11, 2),
        )
        assert_invalid(visit, "end_date", "cannot be before the start date")

    def test_it_rejects_an_end_without_a_start(self):
        visit = SiteVisitFactory.build(round=RoundFactory(), end_date=datetime.date(2005, 11, 2))
        assert_invalid(visit, "start_date", "Give the start date")

    def test_it_rejects_a_visit_with_no_place(self):
        visit = SiteVisitFactory.build(round=RoundFactory(), city="", region="")
        assert_invalid(visit, "city", "Give the city, the region, or both")

    def test_a_region_alone_is_a_place(self):
        SiteVisitFactory.build(round=RoundFactory(), city="", region="Yunnan").full_clean()


class TestMaterial:
    def test_it_rejects_a_material_in_no_language(self):
        material = MaterialFactory.build(round=RoundFactory(), in_english=False)
        assert_invalid(material, "in_english", "at least one language")

    def test_it_lists_its_languages(self):
        material = MaterialFactory.build(in_english=True, in_french=True, in_chinese=False)
        assert material.languages == ["en", "fr"]

    def test_it_rejects_advance_sharing_dated_after_the_round_starts(self):
        round_ = RoundFactory(start_date=datetime.date(2005, 10, 31))
        material = MaterialFactory.build(
            round=round_, shared_in_advance=True, shared_on=datetime.date(2005, 11, 1)
        )
        assert_invalid(material, "shared_on", "on or before the round's start")

    def test_it_accepts_advance_sharing_on_the_first_day(self):
        round_ = RoundFactory(start_date=datetime.date(2005, 10, 31))
        MaterialFactory.build(
            round=round_, shared_in_advance=True, shared_on=datetime.date(2005, 10, 31)
        ).full_clean()

    def test_a_round_known_to_the_month_allows_any_day_of_that_month(self):
        round_ = RoundFactory(
            start_date=datetime.date(1999, 11, 1), end_date=None, date_precision=DatePrecision.MONTH
        )
        MaterialFactory.build(
            round=round_, shared_in_advance=True, shared_on=datetime.date(1999, 11, 30)
        ).full_clean()


class TestCases:
    def test_a_case_is_protected_b_by_default(self):
        assert CaseOfConcernFactory().security_marking == SecurityMarking.PROTECTED_B
        assert CaseRaisingFactory().security_marking == SecurityMarking.PROTECTED_B

    def test_it_rejects_a_detention_date_in_the_future(self):
        case = CaseOfConcernFactory.build(
            detained_on=timezone.localdate() + datetime.timedelta(days=1)
        )
        assert_invalid(case, "detained_on", "cannot be in the future")

    def test_it_rejects_a_raising_at_a_round_not_held(self):
        planned = RoundFactory(status=Round.Status.CANCELLED)
        raising = CaseRaisingFactory.build(case=CaseOfConcernFactory(), round=planned)
        assert_invalid(raising, "round", "round that was held")

    def test_it_rejects_an_answer_without_its_date(self):
        raising = CaseRaisingFactory.build(
            case=CaseOfConcernFactory(), round=RoundFactory(), response="information"
        )
        assert_invalid(raising, "response_date", "Give the date")

    def test_it_rejects_a_date_without_an_answer(self):
        round_ = RoundFactory()
        raising = CaseRaisingFactory.build(
            case=CaseOfConcernFactory(), round=round_, response_date=round_.start_date
        )
        assert_invalid(raising, "response_date", "Leave the date empty")

    def test_it_rejects_an_answer_before_the_round(self):
        round_ = RoundFactory(start_date=datetime.date(2005, 10, 31))
        raising = CaseRaisingFactory.build(
            case=CaseOfConcernFactory(),
            round=round_,
            response=CaseRaising.Response.ACKNOWLEDGED,
            response_date=datetime.date(2005, 10, 30),
        )
        assert_invalid(raising, "response_date", "cannot come before the round")

    def test_it_accepts_an_answer_on_the_day_of_the_round(self):
        round_ = RoundFactory(start_date=datetime.date(2005, 10, 31))
        CaseRaisingFactory.build(
            case=CaseOfConcernFactory(),
            round=round_,
            response=CaseRaising.Response.RELEASE_REPORTED,
            response_date=round_.start_date,
        ).full_clean()

    def test_it_rejects_raising_a_case_twice_at_one_round(self):
        first = CaseRaisingFactory()
        duplicate = CaseRaisingFactory.build(case=first.case, round=first.round)
        assert_invalid(duplicate, "__all__", "already recorded")

    def test_the_database_refuses_an_answer_without_a_date(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            CaseRaisingFactory(response=CaseRaising.Response.INFORMATION)
