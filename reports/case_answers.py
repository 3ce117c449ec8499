"""Cases of concern: how often and how fast the partner answered, round by round."""

from collections import defaultdict
from dataclasses import dataclass
from statistics import median

from django.db.models import (
    Count,
    Q,
)

from core import charts
from core.access import visible
from core.models import within_clearance
from rounds.models import CaseRaising, Round
from rounds.selectors import ROUND_LABEL_FIELDS


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


def case_answers(rounds, *, user, medians=True) -> list[CaseAnswers]:
    """Per round at which cases were raised: raised, answered, median days from the round's
    end to the answer, and releases reported. Only for Case officers (empty otherwise).

    The counts are made in the database, one row a round; the medians need every answer's
    date, so a report that shows a page of rounds passes `medians=False` and fills in only the
    page's with `fill_median_days`."""
    rounds_qs = rounds.select_related("dialogue").only(
        *ROUND_LABEL_FIELDS, "end_date", "security_marking"
    )
    by_id = {r.pk: r for r in rounds_qs}
    answered = ~Q(response=CaseRaising.Response.NONE) & Q(response_date__isnull=False)
    counts = (
        _raisings_in(rounds_qs.values("pk"), user=user)
        .order_by()
        .values("round_id")
        .annotate(
            raised=Count("pk"),
            answered=Count("pk", filter=answered),
            releases=Count("pk", filter=Q(response=CaseRaising.Response.RELEASE_REPORTED)),
        )
    )
    rows = [
        CaseAnswers(
            round=by_id[row["round_id"]],
            raised=row["raised"],
            answered=row["answered"],
            median_days=None,
            releases=row["releases"],
        )
        for row in counts
    ]
    rows.sort(key=lambda row: (row.round.start_date, row.round.pk))
    if medians:
        fill_median_days(rows, user=user)
    return rows


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
