"""Follow-up coverage: how many of each round's topics got a follow-up project."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import CharField, StringAgg, Value
from django.db.models.functions import Cast

from core import charts, reading
from core.access import visible
from core.expressions import year_number
from core.models import within_clearance
from core.paging import PagedRows
from followup.models import FollowUpProject
from rounds.models import Round, Topic
from rounds.selectors import ROUND_LABEL_FIELDS, TopicLink


@dataclass
class RoundCoverage:
    round: object
    topics: int
    covered: int
    has_project: bool

    @property
    def percent(self) -> int | None:
        return round(100 * self.covered / self.topics) if self.topics else None


@dataclass
class TopicCoverage:
    topic: object
    rounds: int
    first_year: int
    last_year: int
    covered: bool


@dataclass
class YearCoverage:
    year: int
    topics: int
    covered: int

    @property
    def percent(self) -> int:
        return round(100 * self.covered / self.topics) if self.topics else 0


@dataclass
class Coverage:
    rounds: PagedRows  # built a page at a time: a thousand rounds, 50 shown
    topics: list
    years: list

    @property
    def never_followed_up(self) -> list:
        """Topics raised in several rounds that never got a follow-up project."""
        return [t for t in self.topics if t.rounds > 1 and not t.covered]

    @property
    def chart(self) -> list:
        return charts.percent_bars(self.years, label=lambda y: y.year, value=lambda y: y.percent)


NO_TOPICS = frozenset()


def _round_row(topics_of, covered, with_project):
    """A held round's coverage row, from what the report counted."""

    def row(round_) -> RoundCoverage:
        topics = topics_of.get(round_.pk, NO_TOPICS)
        return RoundCoverage(
            round=round_,
            topics=len(topics),
            covered=len(topics & covered),
            has_project=round_.pk in with_project,
        )

    return row


def coverage(*, rounds, user) -> Coverage:
    """For each held round and each topic raised, whether a follow-up project exists; and the
    share of each year's topics that have one. A topic counts as covered by any project on it
    (the projects are cooperation with the partner as a whole, not with one round). Standing
    items (`Topic.standing`) are on every agenda by design and are left out."""
    # At scale this report reads a thousand rounds and thirty thousand topic links: subqueries
    # rather than lists of ids, each round's topics as one string of ids rather than a row per
    # link, and set operations rather than a Python loop per link.
    held = (
        visible(rounds, user)
        .filter(status=Round.Status.HELD)
        .select_related("dialogue")
        .only(*ROUND_LABEL_FIELDS, "security_marking")  # read, no need to look the markings up
    )
    order = list(
        held.order_by("start_date", "pk").values_list(
            "pk", year_number("start_date"), "security_marking"
        )
    )
    item_links = TopicLink.objects.filter(
        within_clearance(user, "agendaitem"),
        agendaitem__round__in=held.values("pk"),
        topic__standing=False,  # the overall review, the list of cases: not themes to follow up
    )
    # Every round and agenda item counted is shown as a number or a topic's row: the report is
    # as marked as they are (noted by marking alone: a thousand rounds, thirty thousand links).
    markings = {marking for _pk, _year, marking in order}
    markings |= set(
        item_links.order_by().values_list("agendaitem__security_marking", flat=True).distinct()
    )
    for marking in markings:
        reading.note(None, None, marking)
    order = [(pk, year) for pk, year, _marking in order]
    topics_of = {
        round_id: {int(pk) for pk in ids.split(",")}
        for round_id, ids in item_links.order_by()
        .values("agendaitem__round_id")
        .annotate(ids=StringAgg(Cast("topic_id", CharField()), Value(",")))
        .values_list("agendaitem__round_id", "ids")
    }
    projects = visible(FollowUpProject, user)
    # Whether a topic or a round has a project says the project exists: the report is as
    # marked as the projects that say so (noted by marking alone).
    covered, with_project, project_markings = set(), set(), set()
    for topic_id, marking in (
        FollowUpProject.topics.through.objects.filter(followupproject__in=projects)
        .values_list("topic_id", "followupproject__security_marking")
        .distinct()
    ):
        covered.add(topic_id)
        project_markings.add(marking)
    for round_id, marking in FollowUpProject.originating_rounds.through.objects.filter(
        followupproject__in=projects, round__in=held.values("pk")
    ).values_list("round_id", "followupproject__security_marking"):
        with_project.add(round_id)
        project_markings.add(marking)
    for marking in project_markings:
        reading.note(None, None, marking)
    by_year = defaultdict(set)  # year -> topics raised that year
    times_raised = Counter()  # topic -> rounds that raised it
    for pk, year in order:
        if pk in topics_of:
            by_year[year] |= topics_of[pk]
            times_raised.update(topics_of[pk])
    first_year, last_year = {}, {}
    for year in sorted(by_year):  # later years overwrite: each topic's last
        last_year.update(dict.fromkeys(by_year[year], year))
    for year in sorted(by_year, reverse=True):  # earlier years overwrite: each topic's first
        first_year.update(dict.fromkeys(by_year[year], year))
    topics = Topic.objects.in_bulk(list(times_raised))
    topic_rows = [
        TopicCoverage(
            topic=topics[topic_id],
            rounds=times,
            first_year=first_year[topic_id],
            last_year=last_year[topic_id],
            covered=topic_id in covered,
        )
        for topic_id, times in times_raised.items()
    ]
    topic_rows.sort(key=lambda row: (row.covered, -row.rounds, row.topic.name))
    return Coverage(
        rounds=PagedRows(
            [pk for pk, _year in order], held, _round_row(topics_of, covered, with_project)
        ),
        topics=topic_rows,
        years=[
            YearCoverage(year=year, topics=len(ids), covered=len(ids & covered))
            for year, ids in sorted(by_year.items())
        ],
    )
