import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from followup.models import FollowUpAction, FollowUpProject
from tests.followup.factories import (
    BenchmarkEventFactory,
    FollowUpActionFactory,
    FollowUpProjectFactory,
)
from tests.helpers import assert_invalid
from tests.rounds.factories import RoundFactory

pytestmark = pytest.mark.django_db


class TestFollowUpProject:
    def test_it_rejects_end_before_start(self):
        project = FollowUpProjectFactory.build(
            lead_agency=None,
            start_date=datetime.date(2006, 1, 1),
            end_date=datetime.date(2005, 12, 31),
        )
        assert_invalid(project, "end_date", "cannot be before the start date")

    def test_it_rejects_a_negative_budget(self):
        project = FollowUpProjectFactory.build(lead_agency=None, budget_cad=-1)
        assert_invalid(project, "budget_cad", "greater than or equal to 0")

    def test_the_database_refuses_a_negative_budget(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            FollowUpProjectFactory(budget_cad=-1)

    def test_it_accepts_a_zero_budget(self):
        FollowUpProjectFactory.build(lead_agency=None, budget_cad=0).full_clean()

    def test_it_rejects_an_active_project_without_a_start(self):
        project = FollowUpProjectFactory.build(
            lead_agency=None, status=FollowUpProject.Status.ACTIVE
        )
        assert_invalid(project, "start_date", "needs its start date")

    def test_it_rejects_a_completed_project_without_an_end(self):
        project = FollowUpProjectFactory.build(
            lead_agency=None,
            status=FollowUpProject.Status.COMPLETED,
            start_date=datetime.date(2006, 1, 1),
        )
        assert_invalid(project, "end_date", "needs its end date")


class TestFollowUpAction:
    def test_it_rejects_an_action_with_neither_round_nor_project(self):
        action = FollowUpActionFactory.build(round=None, due_date=datetime.date(2006, 1, 1))
        assert_invalid(action, "round", "the round it arises from, the project, or both")

    def test_an_action_may_belong_to_a_project_only(self):
        FollowUpActionFactory.build(
            round=None, project=FollowUpProjectFactory(), due_date=datetime.date(2006, 1, 1)
        ).full_clean()

    def test_it_rejects_done_without_a_completion_date(self):
        action = FollowUpActionFactory.build(
            round=RoundFactory(), status=FollowUpAction.Status.DONE
        )
        assert_invalid(action, "completed_on", "needs its completion date")

    def test_it_rejects_a_completion_date_on_an_open_action(self):
        action = FollowUpActionFactory.build(
            round=RoundFactory(), completed_on=datetime.date(2006, 1, 1)
        )
        assert_invalid(action, "completed_on", "Only a done action")

    def test_it_rejects_a_completion_date_in_the_future(self):
        action = FollowUpActionFactory.build(
            round=RoundFactory(),
            status=FollowUpAction.Status.DONE,
            completed_on=timezone.localdate() + datetime.timedelta(days=1),
        )
        assert_invalid(action, "completed_on", "cannot be in the future")

    def test_it_accepts_done_with_a_completion_date(self):
        FollowUpActionFactory.build(
            round=RoundFactory(),
            status=FollowUpAction.Status.DONE,
            completed_on=timezone.localdate(),
        ).full_clean()

    def test_it_rejects_a_due_date_before_the_round(self):
        round_ = RoundFactory(start_date=datetime.date(2005, 10, 31))
        action = FollowUpActionFactory.build(round=round_, due_date=datetime.date(2005, 10, 30))
        assert_invalid(action, "due_date", "cannot be before the round")

    def test_it_accepts_a_due_date_on_the_rounds_first_day(self):
        round_ = RoundFactory(start_date=datetime.date(2005, 10, 31))
        FollowUpActionFactory.build(round=round_, due_date=round_.start_date).full_clean()

    def test_the_database_refuses_done_without_a_completion_date(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            FollowUpActionFactory(status=FollowUpAction.Status.DONE)


class TestBenchmarkEvent:
    def test_it_rejects_a_future_event(self):
        event = BenchmarkEventFactory.build(date=timezone.localdate() + datetime.timedelta(days=1))
        event.benchmark.save()
        assert_invalid(event, "date", "cannot be future")

    def test_it_requires_a_source(self):
        event = BenchmarkEventFactory.build(source="")
        event.benchmark.save()
        assert_invalid(event, "source", "cannot be blank")


class TestOpenAndOverdue:
    """One definition of an open and of an overdue action, for lists and for one record."""

    def test_open_keeps_open_and_in_progress_actions(self):
        kept = [FollowUpActionFactory(status=s) for s in ("open", "in_progress")]
        FollowUpActionFactory(status="dropped")
        FollowUpActionFactory(status="done", completed_on=datetime.date(2005, 1, 1))
        assert set(FollowUpAction.objects.open()) == set(kept)
        assert all(action.is_open for action in kept)

    def test_overdue_is_open_and_due_before_today(self):
        today = datetime.date(2006, 5, 10)
        late = FollowUpActionFactory(status="in_progress", due_date=datetime.date(2006, 5, 9))
        FollowUpActionFactory(status="open", due_date=today)  # due today: not yet overdue
        FollowUpActionFactory(status="dropped", due_date=datetime.date(2006, 5, 1))
        assert list(FollowUpAction.objects.overdue(today)) == [late]
        overdue = [a.pk for a in FollowUpAction.objects.all() if a.is_overdue(today)]
        assert overdue == [late.pk]

    def test_the_open_actions_index_covers_exactly_the_open_statuses(self):
        index = next(
            i for i in FollowUpAction._meta.indexes if i.name == "followup_action_open_due"
        )
        assert dict(index.condition.children)["status__in"] == list(FollowUpAction.OPEN_STATUSES)
