"""Reads for planning: the board, a project's timeline, follow-up coverage, benchmarks, the
translation gap. Each issues a fixed number of queries whatever the size of the data."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from core.access import visible
from core.expressions import count
from core.models import within_clearance
from followup.models import Benchmark, FollowUpAction, FollowUpProject
from rounds.models import Round

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
    totals = dict(projects.order_by().values_list("status").annotate(n=Count("pk", distinct=True)))
    # Counted per card in subqueries: each column's first cards are chosen before counting.
    open_ = FollowUpAction.objects.visible_to(user).filter(project=OuterRef("pk"))
    cards = (
        projects.select_related("lead_agency")
        .annotate(
            open_actions=count(open_.open().values("pk")),
            overdue_actions=count(open_.overdue(today).values("pk")),
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
    latest = max(dates).year
    # The first day of the year after the latest date; the calendar's last day after 9999.
    last = datetime.date(latest + 1, 1, 1) if latest < datetime.MAXYEAR else datetime.date.max
    span = (last - first).days

    def x(day):
        return round(WIDTH * (day - first).days / span)

    marks = [Mark(x(r.start_date), r.start_date, str(r), "round") for r in rounds]
    for action in actions:
        if action.status == action.Status.DONE:
            marks.append(Mark(x(action.completed_on), action.completed_on, action.title, "done"))
        elif action.is_overdue(today):
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


# -- a benchmark --------------------------------------------------------------------------------


def benchmark_page(*, benchmark, user) -> dict:
    """A benchmark's dated events with sources, its topics, and the rounds that pressed it
    (those whose agenda raised one of its topics)."""
    topics = list(benchmark.topics.all())
    pressed = (
        visible(Round, user)
        .filter(within_clearance(user, "agenda_items"), agenda_items__topics__in=topics)
        .select_related("dialogue")
        .distinct()
        .order_by("start_date")
    )
    return {
        "events": visible(benchmark.events.all(), user).order_by("date", "pk"),
        "topics": topics,
        "rounds": pressed,
    }


# -- parts of the round, topic and organization pages, and of the topic list (see apps.py) -----


def round_part(*, round_, user, **_context) -> dict:
    """The follow-up actions agreed at a round and the projects it gave rise to."""
    return {
        "actions": visible(FollowUpAction, user)
        .filter(round=round_)
        .select_related("owner_organization", "project"),
        "projects": visible(FollowUpProject, user).filter(originating_rounds=round_),
    }


def topic_part(*, topic, user, **_context) -> dict:
    return {
        "projects": visible(FollowUpProject, user)
        .filter(topics=topic)
        .select_related("lead_agency"),
        "benchmarks": visible(Benchmark, user).filter(topics=topic),
    }


def organization_part(*, organization, user, **_context) -> dict:
    return {
        "led_projects": visible(FollowUpProject, user).filter(lead_agency=organization),
        "partner_projects": visible(FollowUpProject, user).filter(
            partner_organizations=organization
        ),
    }


def topic_annotations(*, user) -> dict:
    """Whether a project the user may see works on the topic (the topic list's column)."""
    return {"has_project": Exists(visible(FollowUpProject, user).filter(topics=OuterRef("pk")))}
