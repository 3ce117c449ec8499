import datetime

import pytest
from django.db import IntegrityError, transaction

from core.models import DatePrecision, SecurityMarking, Side
from stakeholders.models import Consultation, Delegation, DelegationMember
from tests.helpers import assert_invalid
from tests.rounds.factories import DialogueFactory, RoundFactory
from tests.stakeholders.factories import (
    ConsultationFactory,
    DelegationFactory,
    DelegationMemberFactory,
    OrganizationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


class TestOrganization:
    def test_it_rejects_itself_as_parent(self):
        organization = OrganizationFactory()
        organization.parent = organization
        assert_invalid(organization, "parent", "own parent")

    def test_it_rejects_a_cycle(self):
        ministry = OrganizationFactory()
        division = OrganizationFactory(parent=ministry)
        ministry.parent = division
        assert_invalid(ministry, "parent", "own parent")

    def test_it_rejects_a_name_used_twice_in_one_country(self):
        OrganizationFactory(name="Ministry of Justice", country="CN")
        duplicate = OrganizationFactory.build(name="Ministry of Justice", country="CN")
        assert_invalid(duplicate, "__all__", "name and country exists")

    def test_the_same_name_is_allowed_in_another_country(self):
        OrganizationFactory(name="Ministry of Justice", country="CN")
        OrganizationFactory.build(name="Ministry of Justice", country="VN").full_clean()


class TestDelegation:
    def test_it_rejects_two_delegations_for_one_side(self):
        first = DelegationFactory(side=Side.PARTNER)
        duplicate = DelegationFactory.build(round=first.round, side=Side.PARTNER)
        assert_invalid(duplicate, "__all__", "already has a delegation for that side")

    def test_it_rejects_joint_as_a_side(self):
        delegation = DelegationFactory.build(round=RoundFactory(), side=Side.JOINT)
        assert_invalid(delegation, "side", "not a valid choice")

    def test_a_higher_rank_is_more_senior(self):
        rank = Delegation.HeadRank
        assert rank.MINISTER > rank.VICE_MINISTER > rank.DIRECTOR_GENERAL > rank.DIRECTOR


class TestDelegationMember:
    def test_it_rejects_a_member_with_neither_person_nor_organization(self):
        member = DelegationMemberFactory.build(
            delegation=DelegationFactory(), person=None, organization=None
        )
        assert_invalid(member, "person", "the person, the organization, or both")

    def test_the_database_refuses_a_member_with_neither(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            DelegationMember.objects.create(delegation=DelegationFactory())

    def test_an_unnamed_representative_of_an_organization_is_allowed(self):
        DelegationMemberFactory.build(
            delegation=DelegationFactory(), person=None, organization=OrganizationFactory()
        ).full_clean()

    def test_it_rejects_a_head_who_is_not_the_delegations_head(self):
        delegation = DelegationFactory(head=PersonFactory())
        member = DelegationMemberFactory.build(
            delegation=delegation, person=PersonFactory(), organization=None, role="head"
        )
        assert_invalid(member, "role", "head is")

    def test_it_accepts_the_delegations_head_in_the_head_role(self):
        head = PersonFactory()
        delegation = DelegationFactory(head=head)
        DelegationMemberFactory.build(
            delegation=delegation, person=head, organization=None, role="head"
        ).full_clean()

    def test_it_rejects_a_person_twice_in_a_delegation(self):
        first = DelegationMemberFactory()
        duplicate = DelegationMemberFactory.build(delegation=first.delegation, person=first.person)
        assert_invalid(duplicate, "__all__", "already in this delegation")

    def test_several_unnamed_members_may_sit_in_one_delegation(self):
        delegation = DelegationFactory()
        DelegationMemberFactory(
            delegation=delegation, person=None, organization=OrganizationFactory()
        )
        DelegationMemberFactory(
            delegation=delegation, person=None, organization=OrganizationFactory()
        )
        assert delegation.members.count() == 2


class TestConsultation:
    def test_it_is_protected_a_by_default(self):
        assert ConsultationFactory().security_marking == SecurityMarking.PROTECTED_A

    def test_it_rejects_a_round_of_another_dialogue(self):
        consultation = ConsultationFactory.build(dialogue=DialogueFactory(), round=RoundFactory())
        assert_invalid(consultation, "round", "must belong to the consultation's dialogue")

    def test_it_rejects_a_briefing_after_the_round_starts(self):
        round_ = RoundFactory(start_date=datetime.date(2005, 10, 31))
        consultation = ConsultationFactory.build(
            dialogue=round_.dialogue,
            round=round_,
            kind=Consultation.Kind.BRIEFING,
            date=datetime.date(2005, 11, 1),
        )
        assert_invalid(consultation, "date", "briefing cannot come after")

    def test_it_accepts_a_briefing_on_the_first_day(self):
        round_ = RoundFactory(start_date=datetime.date(2005, 10, 31))
        ConsultationFactory.build(
            dialogue=round_.dialogue,
            round=round_,
            kind=Consultation.Kind.BRIEFING,
            date=round_.start_date,
        ).full_clean()

    def test_it_rejects_a_debriefing_before_the_round_ends(self):
        round_ = RoundFactory(
            start_date=datetime.date(2005, 10, 31), end_date=datetime.date(2005, 11, 1)
        )
        consultation = ConsultationFactory.build(
            dialogue=round_.dialogue,
            round=round_,
            kind=Consultation.Kind.DEBRIEFING,
            date=datetime.date(2005, 10, 31),
        )
        assert_invalid(consultation, "date", "debriefing cannot come before")

    def test_a_debriefing_known_to_the_month_may_fall_in_the_rounds_month(self):
        round_ = RoundFactory(
            start_date=datetime.date(2005, 10, 31), end_date=datetime.date(2005, 11, 1)
        )
        ConsultationFactory.build(
            dialogue=round_.dialogue,
            round=round_,
            kind=Consultation.Kind.DEBRIEFING,
            date=datetime.date(2005, 11, 1),
            date_precision=DatePrecision.MONTH,
        ).full_clean()
