"""Cases of concern: how often and how fast the partner answered, round by round."""

from collections import defaultdict
from dataclasses import dataclass
from statistics import median

from django.db.models import (
    Count,
    Q,
)

from core import charts, reading
from core.access import visible
from core.models import SecurityMarking, within_clearance
from core.paging import PagedRows
from rounds.models import CaseRaising, Round
from rounds.selectors import ROUND_LABEL_FIELDS

# The markings above the lowest, which raise a page's banner (also the counts' names).
MARKED = (SecurityMarking.PROTECTED_A.value, SecurityMarking.PROTECTED_B.value)


@dataclass
class CaseAnswers:
    round: Round
    raised: int
    answered: int
    median_days: float | None
    releases: int

    @property
    def rate(self) -> int:
        return round(100 * self.answered / self.raised) if self.raised else 0


def case_answers(rounds, *, user) -> list[CaseAnswers]:
    """Every row of `answer_rows`, medians filled in (the dashboard's chart of a dialogue's held
    rounds)."""
    return answer_rows(rounds, user=user)[:]


def answer_rows(rounds, *, user) -> PagedRows:
    """Per round at which cases were raised: raised, answered, median days from the round's
    end to the answer, and releases reported, in the rounds' order. Only for Case officers
    (empty otherwise).

    The counts are made in the database, one row a round; a page of rows (core/paging.py)
    reads its rounds and the dates of their answers, for the medians (a query each), so a
    report page of 50 rounds out of a thousand builds 50 Round objects. Every round counted is
    as marked as it is, and so is every raising and case counted (noted by marking alone)."""
    answered = ~Q(response=CaseRaising.Response.NONE) & Q(response_date__isnull=False)
    counts = {
        row["round_id"]: row
        for row in _raisings_in(rounds.values("pk"), user=user)
        .order_by()
        .values("round_id")
        .annotate(
            raised=Count("pk"),
            answered=Count("pk", filter=answered),
            releases=Count("pk", filter=Q(response=CaseRaising.Response.RELEASE_REPORTED)),
            # The numbers are read from the raisings and their cases: the report is as marked
            # as they are (noted by marking alone).
            **{
                marking: Count(
                    "pk", filter=Q(security_marking=marking) | Q(case__security_marking=marking)
                )
                for marking in MARKED
            },
        )
    }
    # The rounds' order and markings as plain values (grouping the raisings by them as well
    # joined thirty thousand rows to their rounds: slower than this second, small query).
    markings = {marking for row in counts.values() for marking in MARKED if row[marking]}
    order = []
    for pk, marking in rounds.order_by("start_date", "pk").values_list("pk", "security_marking"):
        if pk in counts:
            order.append(pk)
            markings.add(marking)
    for marking in markings:
        reading.note(None, None, marking)
    shown = rounds.select_related("dialogue").only(
        *ROUND_LABEL_FIELDS, "end_date", "security_marking"
    )

    def row(round_) -> CaseAnswers:
        counted = counts[round_.pk]
        return CaseAnswers(
            round=round_,
            raised=counted["raised"],
            answered=counted["answered"],
            median_days=None,
            releases=counted["releases"],
        )

    return PagedRows(order, shown, row, then=lambda rows: fill_median_days(rows, user=user))


def fill_median_days(rows: list[CaseAnswers], *, user) -> None:
    """Set each row's median days from the round's end to an answer: one query for them all."""
    days = defaultdict(list)
    ended = {row.round.pk: row.round.end_date or row.round.start_date for row in rows}
    for round_id, response_date in (
        _raisings_in(list(ended), user=user)
        .exclude(response=CaseRaising.Response.NONE)
        .filter(response_date__isnull=False)
        .values_list("round_id", "response_date")
    ):
        days[round_id].append((response_date - ended[round_id]).days)
    for row in rows:
        found = days.get(row.round.pk)
        row.median_days = median(found) if found else None


def _raisings_in(rounds, *, user):
    return visible(CaseRaising, user).filter(within_clearance(user, "case"), round__in=rounds)


def case_chart(rows: list[CaseAnswers]) -> list[dict]:
    return charts.percent_bars(rows, label=lambda row: row.round, value=lambda row: row.rate)
