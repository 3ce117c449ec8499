"""visible_to(user): records at or below the user's clearance; cases for Case officers only."""

import pytest
from django.contrib.auth.models import AnonymousUser

from core.models import SecurityMarking
from rounds.models import CaseOfConcern, Round
from tests.rounds.factories import CaseOfConcernFactory, RoundFactory

pytestmark = pytest.mark.django_db

U, PA, PB = SecurityMarking.values


@pytest.fixture
def rounds_by_marking():
    return {marking: RoundFactory(security_marking=marking) for marking in (U, PA, PB)}


@pytest.mark.parametrize(("clearance", "expected"), [(U, {U}), (PA, {U, PA}), (PB, {U, PA, PB})])
def test_a_user_sees_records_at_or_below_their_clearance(
    make_user, rounds_by_marking, clearance, expected
):
    user = make_user("reader", "analyst", clearance=clearance)
    seen = set(Round.objects.visible_to(user).values_list("security_marking", flat=True))
    assert seen == expected


def test_an_anonymous_visitor_sees_nothing(rounds_by_marking):
    assert not Round.objects.visible_to(AnonymousUser()).exists()


def test_cases_need_the_case_officer_role_even_with_clearance(make_user):
    CaseOfConcernFactory()
    analyst = make_user("analyst", "analyst", clearance=PB)
    case_officer = make_user("caseofficer", "case_officer", clearance=PB)
    assert not CaseOfConcern.objects.visible_to(analyst).exists()
    assert CaseOfConcern.objects.visible_to(case_officer).count() == 1


def test_a_case_officer_without_clearance_does_not_see_protected_b_cases(make_user):
    CaseOfConcernFactory()
    case_officer = make_user("caseofficer", "case_officer", clearance=PA)
    assert not CaseOfConcern.objects.visible_to(case_officer).exists()


def test_visible_refuses_a_model_with_no_reading_rule(make_user):
    from django.contrib.sessions.models import Session
    from django.core.exceptions import ImproperlyConfigured

    from core.access import visible

    with pytest.raises(ImproperlyConfigured, match="has no reading rule"):
        visible(Session, make_user("reader", "analyst", clearance=PB))


def test_reference_data_declared_unrestricted_is_read_whole(make_user):
    from core.access import visible
    from rounds.models import Dialogue, Topic
    from stakeholders.models import Organization

    user = make_user("reader", "analyst", clearance=U)
    for model in (Dialogue, Topic, Organization):
        everything = model.objects.all()
        assert visible(everything, user) is everything


def test_a_reminder_is_as_visible_as_its_action(make_user):
    import datetime

    from core.access import visible
    from followup.models import Reminder
    from tests.followup.factories import FollowUpActionFactory

    day = datetime.date(2006, 1, 1)
    shown = Reminder.objects.create(action=FollowUpActionFactory(), day=day, recipient="a@b.c")
    hidden_action = FollowUpActionFactory(security_marking=PB)
    Reminder.objects.create(action=hidden_action, day=day, recipient="a@b.c")
    assert list(visible(Reminder, make_user("reader", "analyst", clearance=PA))) == [shown]
