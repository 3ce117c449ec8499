"""Reads for planning: the board, a project's timeline, follow-up coverage, benchmarks, the
translation gap. Each issues a fixed number of queries whatever the size of the data."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from followup.models import FollowUpAction, FollowUpProject

BOARD_CARDS = 40  # per column; the rest are a link to the filtered list


@dataclass
class Column:
    status: str
    label: str
    projects: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.projects)


def board(projects, *, user) -> list[Column]:
    """Projects in columns by status, each card with its open and overdue action counts."""
    today = timezone.localdate()
    seen = Q(actions__security_marking__in=user.visible_markings)
    open_ = seen & Q(actions__status__in=FollowUpAction.OPEN_STATUSES)
    totals = dict(projects.order_by().values_list("status").annotate(n=Count("pk", distinct=True)))
    cards = (
        projects.select_related("lead_agency")
        .annotate(
            open_actions=Count("actions", filter=open_, distinct=True),
            overdue_actions=Count(
                "actions", filter=open_ & Q(actions__due_date__lt=today), distinct=True
            ),
        )
        .order_by("start_date", "title")
    )
    return [
        Column(
            status=status,
            label=label,
            projects=list(cards.filter(status=status)[:BOARD_CARDS]) if totals.get(status) else [],
            total=totals.get(status, 0),
        )
        for status, label in FollowUpProject.Status.choices
    ]


# -- a project's timeline -----------------------------------------------------------------------

WIDTH = 1000


@dataclass
class Mark:
    x: int
    date: datetime.date
    label: str
    kind: str  # "round", "open", "done", "late"


@dataclass
class Timeline:
    start_x: int | None
    end_x: int | None
    marks: list
    ticks: list  # [(x, year)]

    @property
    def width(self) -> int:
        return max((self.end_x or WIDTH) - (self.start_x or 0), 2)


def project_timeline(project, rounds, actions) -> Timeline | None:
    """The project's span, its originating rounds and its actions on one time axis."""
    today = timezone.localdate()
    dates = [d for d in (project.start_date, project.end_date) if d]
    dates += [r.start_date for r in rounds]
    for action in actions:
        dates += [d for d in (action.due_date, action.completed_on) if d]
    if not dates:
        return None
    first = datetime.date(min(dates).year, 1, 1)
    last = datetime.date(max(dates).year + 1, 1, 1)
    span = (last - first).days

    def x(day):
        return round(WIDTH * (day - first).days / span)

    marks = [Mark(x(r.start_date), r.start_date, str(r), "round") for r in rounds]
    for action in actions:
        if action.status == action.Status.DONE:
            marks.append(Mark(x(action.completed_on), action.completed_on, action.title, "done"))
        elif action.status in action.OPEN_STATUSES and action.due_date < today:
            marks.append(Mark(x(action.due_date), action.due_date, action.title, "late"))
        else:
            marks.append(Mark(x(action.due_date), action.due_date, action.title, "open"))
    end = project.end_date or (today if project.start_date else None)
    return Timeline(
        start_x=x(project.start_date) if project.start_date else None,
        end_x=x(min(end, last)) if end else None,
        marks=sorted(marks, key=lambda m: m.date),
        ticks=[
            (x(datetime.date(year, 1, 1)), year)
            for year in range(first.year, last.year + 1)
            if (last.year - first.year) <= 12 or year % 5 == 0
        ],
    )
