"""Reads that aggregate rounds and topics: continuity, overlap, a topic's timeline, a round's
page. Each issues a fixed number of queries whatever the size of the data."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from statistics import median

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)

from core import reading
from core.access import visible
from core.expressions import count, largest, smallest, year_number
from core.formats import percent
from core.models import Side, within_clearance
from followup.models import Benchmark, BenchmarkEvent, FollowUpAction, FollowUpProject
from rounds.models import AgendaItem, CaseRaising, Material, Round, SiteVisit, Topic
from stakeholders.models import Consultation, Delegation, DelegationMember

TopicLink = AgendaItem.topics.through
# What a round's label and link need; the matrix loads a thousand rounds, and their other fields
# (country fields above all) cost more to build than the page can spare.
ROUND_LABEL_FIELDS = (
    "number",
    "start_date",
    "dialogue__slug",
    "dialogue__name",
    "dialogue__name_fr",
    "dialogue__acronym",
    "dialogue__acronym_fr",
)


TOPIC_COUNTS = ("times_raised", "first_year", "last_year")


def topic_counts(topics, *, user) -> None:
    """Set on each topic how often, and from when to when, visible rounds raised it: one
    grouped query for them all (a list page's 25, counted after the page is cut)."""
    seen = within_clearance(user) & within_clearance(user, "round")
    counts = {
        row["topics"]: row
        for row in AgendaItem.objects.filter(seen, topics__in=[t.pk for t in topics])
        .order_by()
        .values("topics")
        .annotate(
            times_raised=Count("round", distinct=True),
            first_year=Min("round__start_date__year"),
            last_year=Max("round__start_date__year"),
        )
    }
    none = {"times_raised": 0, "first_year": None, "last_year": None}
    for topic in topics:
        for name in TOPIC_COUNTS:
            setattr(topic, name, counts.get(topic.pk, none)[name])


def topics_with_counts(queryset, *, user, counts=True):
    """Annotate topics with whether a visible project works on them and, unless `counts` is
    off (see topic_counts), how often and from when to when visible rounds raised them."""
    projects = visible(FollowUpProject, user).filter(topics=OuterRef("pk"))
    queryset = queryset.annotate(has_project=Exists(projects))
    if not counts:
        return queryset
    raised = AgendaItem.objects.visible_to(user).filter(
        within_clearance(user, "round"), topics=OuterRef("pk")
    )
    return queryset.annotate(
        times_raised=count(raised.values("round_id").distinct()),
        first_year=smallest(raised, "round__start_date__year", IntegerField()),
        last_year=largest(raised, "round__start_date__year", IntegerField()),
    )


# -- topic continuity ---------------------------------------------------------------------------


@dataclass
class Cell:
    year: int
    rounds: list = field(default_factory=list)  # [(round, [agenda item ids])]

    @property
    def count(self) -> int:
        return len(self.rounds)


def _by_date(round_):
    return (round_.start_date, round_.pk)


@dataclass
class ContinuityRow:
    topic: Topic
    total: int
    first_year: int
    last_year: int
    recurring: bool
    dropped: bool
    followed_up: bool
    years: list[int] = field(default_factory=list, repr=False)
    raised: dict = field(default_factory=dict, repr=False)  # round id -> [agenda item ids]
    rounds: dict = field(default_factory=dict, repr=False)  # round id -> round

    @property
    def once(self) -> bool:
        return self.total == 1

    @cached_property
    def cells(self) -> list[Cell]:
        """One per year, built when asked for: a page shows fifty rows of hundreds."""
        cells = {year: Cell(year) for year in self.years}
        for round_ in sorted((self.rounds[pk] for pk in self.raised), key=_by_date):
            cells[round_.start_date.year].rounds.append((round_, sorted(self.raised[round_.pk])))
        return [cells[year] for year in self.years]


@dataclass
class Continuity:
    years: list[int]
    rows: list[ContinuityRow]


def _links_in(rounds, *, user, category=None):
    """(topic id, agenda item id, round id) for visible agenda items of these rounds (a
    queryset: a subquery keeps a thousand ids out of the statement)."""
    links = TopicLink.objects.filter(
        within_clearance(user, "agendaitem"), agendaitem__round__in=rounds.values("pk")
    )
    if category:
        links = links.filter(topic__category=category)
    return links.values_list("topic_id", "agendaitem_id", "agendaitem__round_id")


def topic_continuity(
    *,
    user,
    dialogues=None,
    year_from=None,
    year_to=None,
    category=None,
    min_count=None,
    sort="first",
) -> Continuity:
    """Topics by years: which rounds raised each topic each year, and its pattern over time.

    Five queries: the rounds in scope, the topic links, the topics, the followed-up topics and
    (for the labels) nothing more; rows and years come from them in Python.
    """
    rounds_qs = (
        visible(Round, user)
        .select_related("dialogue")
        .only(*ROUND_LABEL_FIELDS)
        .order_by("start_date", "pk")
    )
    if dialogues:
        rounds_qs = rounds_qs.filter(dialogue__in=dialogues)
    if year_from:
        rounds_qs = rounds_qs.filter(start_date__year__gte=year_from)
    if year_to:
        rounds_qs = rounds_qs.filter(start_date__year__lte=year_to)
    rounds = list(rounds_qs)
    by_id = {r.pk: r for r in rounds}
    # Each round's place in its dialogue's sequence, and each dialogue's last place.
    place, last_place = {}, {}
    for r in rounds:
        place[r.pk] = last_place[r.dialogue_id] = last_place.get(r.dialogue_id, -1) + 1

    raised = defaultdict(dict)  # topic -> round -> [agenda items]
    for topic_id, item_id, round_id in _links_in(rounds_qs, user=user, category=category):
        by_round = raised[topic_id]
        if round_id in by_round:
            by_round[round_id].append(item_id)
        else:
            by_round[round_id] = [item_id]

    topics = Topic.objects.in_bulk(list(raised))
    followed = set(
        visible(FollowUpProject, user)
        .filter(topics__in=list(raised))
        .values_list("topics", flat=True)
    )
    if rounds:
        first = year_from or rounds[0].start_date.year
        last = year_to or rounds[-1].start_date.year
        years = list(range(first, last + 1))
    else:
        years = []

    rows = []
    for topic_id, by_round in raised.items():
        total = len(by_round)
        if min_count and total < min_count:
            continue
        places = set()  # (dialogue, place) of each round that raised the topic
        raised_years = set()
        for round_id in by_round:
            round_ = by_id[round_id]
            places.add((round_.dialogue_id, place[round_id]))
            raised_years.add(round_.start_date.year)
        recurring = any((d, p + 1) in places for d, p in places)
        latest = {}
        for d, p in places:
            latest[d] = max(p, latest.get(d, p))
        dropped = any(p < last_place[d] for d, p in latest.items())
        rows.append(
            ContinuityRow(
                topic=topics[topic_id],
                total=total,
                first_year=min(raised_years),
                last_year=max(raised_years),
                recurring=recurring,
                dropped=dropped,
                followed_up=topic_id in followed,
                years=years,
                raised=by_round,
                rounds=by_id,
            )
        )
    keys = {
        "frequency": lambda row: (-row.total, row.topic.name),
        "name": lambda row: row.topic.name.casefold(),
        "first": lambda row: (row.first_year, -row.total, row.topic.name),
    }
    rows.sort(key=keys.get(sort, keys["first"]))
    return Continuity(years=years, rows=rows)


# -- cross-dialogue overlap ---------------------------------------------------------------------


@dataclass
class OverlapRow:
    topic: Topic
    year: int
    rounds: list  # [(round, [agenda item ids])], one or more per dialogue

    @property
    def dialogue_count(self) -> int:
        return len({r.dialogue_id for r, _items in self.rounds})


def _overlap_rounds(*, user, partner="CN", year_from=None, year_to=None):
    rounds = (
        visible(Round, user)
        .filter(dialogue__partner_party=partner)
        .select_related("dialogue")
        .only(*ROUND_LABEL_FIELDS)
    )
    if year_from:
        rounds = rounds.filter(start_date__year__gte=year_from)
    if year_to:
        rounds = rounds.filter(start_date__year__lte=year_to)
    return rounds


def overlap_pairs(*, user, partner="CN", year_from=None, year_to=None) -> list[dict]:
    """(topic, year, dialogues) for each topic raised in more than one dialogue with the same
    counterpart in the same year, counted in the database: a page then needs only its own.

    Ordered by year, most dialogues first, then topic name, in Python: grouping and sorting
    thirty thousand links by name in the database cost more than the rest of the page."""
    rounds = _overlap_rounds(user=user, partner=partner, year_from=year_from, year_to=year_to)
    pairs = list(
        TopicLink.objects.filter(
            within_clearance(user, "agendaitem"), agendaitem__round__in=rounds.values("pk")
        )
        .values("topic_id", year=year_number("agendaitem__round__start_date"))
        .annotate(dialogues=Count("agendaitem__round__dialogue", distinct=True))
        .filter(dialogues__gt=1)
        .order_by()
    )
    names = {pk: name.casefold() for pk, name in Topic.objects.values_list("pk", "name")}
    pairs.sort(
        key=lambda p: (p["year"], -p["dialogues"], names.get(p["topic_id"], ""), p["topic_id"])
    )
    return pairs


def overlap_rows(pairs, *, user, partner="CN", year_from=None, year_to=None) -> list[OverlapRow]:
    """The rounds and agenda items behind the given (topic, year) pairs."""
    wanted = {(pair["topic_id"], pair["year"]) for pair in pairs}
    rounds_qs = _overlap_rounds(user=user, partner=partner, year_from=year_from, year_to=year_to)
    links = _links_in(rounds_qs, user=user).filter(
        topic__in={topic for topic, _year in wanted},
        agendaitem__round__start_date__year__in={year for _topic, year in wanted},
    )
    grouped = defaultdict(lambda: defaultdict(list))  # (topic, year) -> round -> items
    for topic_id, item_id, round_id, year in links.values_list(
        "topic_id", "agendaitem_id", "agendaitem__round_id", "agendaitem__round__start_date__year"
    ):
        if (topic_id, year) in wanted:
            grouped[(topic_id, year)][round_id].append(item_id)
    rounds = rounds_qs.in_bulk({pk for by_round in grouped.values() for pk in by_round})
    topics = Topic.objects.in_bulk({topic for topic, _year in wanted})
    return [
        OverlapRow(
            topic=topics[pair["topic_id"]],
            year=pair["year"],
            rounds=[
                (rounds[pk], sorted(items))
                for pk, items in sorted(
                    grouped[(pair["topic_id"], pair["year"])].items(),
                    key=lambda entry: (rounds[entry[0]].start_date, entry[0]),
                )
            ],
        )
        for pair in pairs
    ]


def topic_overlap(*, user, partner="CN", year_from=None, year_to=None) -> list[OverlapRow]:
    """Topics raised in more than one dialogue with the same counterpart in the same year."""
    scope = {"user": user, "partner": partner, "year_from": year_from, "year_to": year_to}
    return overlap_rows(overlap_pairs(**scope), **scope)


# -- one round, one topic, one dialogue ---------------------------------------------------------


def round_page(*, round_, user) -> dict:
    """Everything a round's page shows, prefetched in a fixed number of queries."""
    items = (
        visible(AgendaItem, user)
        .filter(round=round_)
        .prefetch_related("topics", "presenting_organizations")
        .order_by("order", "pk")
    )
    segments = defaultdict(list)
    for item in items:
        segments[item.get_segment_display()].append(item)
    members = (
        visible(DelegationMember, user)
        .select_related("person", "organization")
        .order_by("role", "pk")
    )
    delegations = list(
        visible(Delegation, user)
        .filter(round=round_)
        .select_related("head")
        .prefetch_related(Prefetch("members", queryset=members))
    )
    previous = (
        visible(Round, user)
        .filter(dialogue=round_.dialogue_id, start_date__lt=round_.start_date)
        .order_by("-start_date")
        .first()
    )
    continuity = delegation_continuity(delegations, previous, user=user)
    return {
        "segments": dict(segments),
        "delegations": [(d, continuity.get(d.side)) for d in delegations],
        "previous_round": previous,
        "site_visits": visible(SiteVisit, user)
        .filter(round=round_)
        .prefetch_related("topics", "institutions"),
        "materials": visible(Material, user).filter(round=round_),
        "consultations": visible(Consultation, user)
        .filter(round=round_)
        .prefetch_related("organizations", "request_items"),
        "actions": visible(FollowUpAction, user)
        .filter(round=round_)
        .select_related("owner_organization", "project"),
        "projects": visible(FollowUpProject, user).filter(originating_rounds=round_),
    }


def _member_key(member):
    return ("person", member.person_id) if member.person_id else ("org", member.organization_id)


def delegation_continuity(delegations, previous, *, user) -> dict:
    """Per side, the share of this round's members who also attended the previous round."""
    if previous is None:
        return {}
    before = defaultdict(set)
    for side, person_id, organization_id in (
        visible(DelegationMember, user)
        .filter(delegation__round=previous)
        .values_list("delegation__side", "person_id", "organization_id")
    ):
        before[side].add(("person", person_id) if person_id else ("org", organization_id))
    shares = {}
    for delegation in delegations:
        members = list(delegation.members.all())
        if members:
            returning = sum(1 for m in members if _member_key(m) in before[delegation.side])
            shares[delegation.side] = (returning, len(members))
    return shares


def topic_page(*, topic, user) -> dict:
    """A topic's timeline across years and dialogues, its runs and gaps, follow-up, benchmarks."""
    items = list(
        visible(AgendaItem, user)
        .filter(within_clearance(user, "round"), topics=topic)
        .select_related("round__dialogue")
        .order_by("round__start_date", "order")
    )
    raised_rounds = {item.round_id for item in items}
    dialogue_ids = {item.round.dialogue_id for item in items}
    sequences = defaultdict(list)
    for pk, dialogue_id in (
        visible(Round, user)
        .filter(dialogue__in=dialogue_ids)
        .order_by("start_date", "pk")
        .values_list("pk", "dialogue_id")
    ):
        sequences[dialogue_id].append(pk)
    longest = 0
    for order in sequences.values():
        run = 0
        for pk in order:
            run = run + 1 if pk in raised_rounds else 0
            longest = max(longest, run)
    years = sorted({item.round.start_date.year for item in items})
    gaps = [(a, b) for a, b in pairwise(years) if b - a > 1]
    timeline = defaultdict(list)
    for item in items:
        timeline[item.round.start_date.year].append(item)
    return {
        "items": items,
        "timeline": sorted(timeline.items()),
        "first_year": years[0] if years else None,
        "last_year": years[-1] if years else None,
        "round_count": len(raised_rounds),
        "longest_run": longest,
        "gaps": gaps,
        "projects": visible(FollowUpProject, user)
        .filter(topics=topic)
        .select_related("lead_agency"),
        "benchmarks": visible(Benchmark, user).filter(topics=topic),
        "children": topic.children.all(),
    }


def dialogue_page(*, dialogue, user) -> dict:
    """A dialogue's rounds and the rank of each side's head of delegation across them."""
    rounds = list(
        visible(Round, user)
        .filter(dialogue=dialogue)
        .annotate(topic_count=Count("agenda_items__topics", distinct=True))
        .order_by("start_date", "pk")
    )
    ranks = defaultdict(dict)
    for round_id, side, rank in (
        visible(Delegation, user)
        .filter(round__in=[r.pk for r in rounds])
        .values_list("round_id", "side", "head_rank")
    ):
        if rank:
            ranks[round_id][side] = Rank(rank, Delegation.HeadRank(rank).label)
    rank_rows = [(r, ranks[r.pk].get("lead"), ranks[r.pk].get("partner")) for r in rounds]
    return {"rounds": rounds, "rank_rows": rank_rows, "rank_chart": _rank_chart(rank_rows)}


@dataclass
class Rank:
    value: int
    label: str


def _rank_chart(rank_rows) -> dict | None:
    """Coordinates for a line chart of each side's head rank across rounds (SVG units)."""
    if not any(lead or partner for _round, lead, partner in rank_rows):
        return None
    step, left, top, row = 60, 190, 12, 16
    levels = list(Delegation.HeadRank)  # most senior first, at the top
    y_of = {level.value: top + i * row for i, level in enumerate(levels)}
    x_of = [left + i * step for i in range(len(rank_rows))]
    points = {"lead": [], "partner": []}
    for x, (_round, lead, partner) in zip(x_of, rank_rows, strict=True):
        for side, rank in (("lead", lead), ("partner", partner)):
            if rank:
                points[side].append((x, y_of[rank.value]))
    height = top + len(levels) * row + 16
    return {
        "width": left + len(rank_rows) * step,
        "height": height,
        "ticks": [(y_of[level.value], level.label) for level in levels],
        "labels": [
            (x, r.number or r.start_date.year)
            for x, (r, _l, _p) in zip(x_of, rank_rows, strict=True)
        ],
        "lead_points": points["lead"],
        "partner_points": points["partner"],
        "lead": " ".join(f"{x},{y}" for x, y in points["lead"]),
        "partner": " ".join(f"{x},{y}" for x, y in points["partner"]),
    }


# -- the briefing pack --------------------------------------------------------------------------


# A printed briefing lists the open actions due soonest; the action list has the rest.
BRIEFING_ACTIONS = 50


@dataclass
class TopicHistory:
    topic: Topic
    earlier_rounds: list
    projects: list  # [(title, status)]
    project_markings: set = field(default_factory=set)

    @property
    def shown_markings(self) -> set:
        """The markings of the projects named in `projects_text` (read as text, not records)."""
        return self.project_markings

    # A briefing lists dozens of topics with their rounds and projects: written here as text,
    # each line costs the template one variable rather than a loop.
    @property
    def earlier_text(self) -> str:
        return ", ".join(
            f"{r.number} ({r.start_date.year})" if r.number else str(r.start_date.year)
            for r in self.earlier_rounds
        )

    @property
    def projects_text(self) -> str:
        return "; ".join(f"{title} ({status})" for title, status in self.projects)


def briefing_pack(*, round_, user) -> dict:
    """What an officer takes into a round: its agenda and delegations, each topic's history in
    the dialogue's earlier rounds, open actions, the benchmarks' state and, for Case officers
    only, the cases with their last answers."""
    page = round_page(round_=round_, user=user)
    topics = {
        topic.pk: topic
        for items in page["segments"].values()
        for item in items
        for topic in item.topics.all()
    }
    earlier = (
        TopicLink.objects.filter(
            within_clearance(user, "agendaitem", "agendaitem__round"),
            topic__in=list(topics),
            agendaitem__round__dialogue=round_.dialogue_id,
            agendaitem__round__start_date__lt=round_.start_date,
        )
        .values_list("topic_id", "agendaitem__round_id")
        .distinct()
    )
    rounds_by_topic = defaultdict(set)
    for topic_id, round_id in earlier:
        rounds_by_topic[topic_id].add(round_id)
    rounds = visible(Round, user).in_bulk({pk for ids in rounds_by_topic.values() for pk in ids})
    # Titles and statuses only: at scale a topic has a dozen projects and a pack thirty topics.
    projects_by_topic = defaultdict(list)
    project_markings = defaultdict(set)
    for topic_id, project_id, title, status, marking in (
        FollowUpProject.topics.through.objects.filter(
            topic__in=list(topics), followupproject__in=visible(FollowUpProject, user)
        )
        .order_by("followupproject__title", "followupproject_id")
        .values_list(
            "topic_id",
            "followupproject_id",
            "followupproject__title",
            "followupproject__status",
            "followupproject__security_marking",
        )
    ):
        projects_by_topic[topic_id].append((title, FollowUpProject.Status(status).label))
        project_markings[topic_id].add(marking)
        reading.note(FollowUpProject, project_id, marking)  # shown as text, not as a record
    histories = [
        TopicHistory(
            topic=topic,
            earlier_rounds=sorted(
                (rounds[pk] for pk in rounds_by_topic[topic.pk] if pk in rounds),
                key=lambda r: r.start_date,
            ),
            projects=projects_by_topic[topic.pk],
            project_markings=project_markings[topic.pk],
        )
        for topic in sorted(topics.values(), key=lambda t: t.name)
    ]
    # The dialogue's actions, and those of projects that arose from its rounds. The rounds'
    # and projects' ids are read first (a few dozen each): the actions are then found through
    # their round and project indexes, instead of by reading every open action and joining,
    # and no join multiplies the rows for a DISTINCT to sort.
    dialogue_rounds = list(
        Round.objects.filter(dialogue=round_.dialogue_id).values_list("pk", flat=True)
    )
    dialogue_projects = list(
        FollowUpProject.originating_rounds.through.objects.filter(round__in=dialogue_rounds)
        .values_list("followupproject_id", flat=True)
        .distinct()
    )
    open_actions = (
        visible(FollowUpAction, user)
        .open()
        .filter(Q(round__in=dialogue_rounds) | Q(project__in=dialogue_projects))
        .select_related("round__dialogue", "project", "owner_organization", "owner_person")
        .order_by("due_date", "pk")
    )
    events = visible(BenchmarkEvent, user).order_by("-date")
    benchmarks = (
        visible(Benchmark, user)
        .filter(topics__in=list(topics))
        .distinct()
        .prefetch_related(Prefetch("events", queryset=events))
    )
    return {
        **page,
        "histories": histories,
        "open_actions": open_actions[:BRIEFING_ACTIONS],
        "open_action_count": open_actions.count(),
        "benchmarks": benchmarks,
        "cases": _last_answers(round_, user) if user.is_case_officer else None,
    }


def _last_answers(round_, user) -> list:
    """Each case raised in this dialogue up to this round, with its latest raising."""
    raised = visible(CaseRaising, user).filter(
        within_clearance(user, "round", "case"),
        round__dialogue=round_.dialogue_id,
        round__start_date__lte=round_.start_date,
    )
    # The database keeps each case's latest raising: hundreds, of the thousand raisings.
    latest = raised.filter(case=OuterRef("case")).order_by("-round__start_date", "-pk")
    answers = list(
        raised.filter(pk=Subquery(latest.values("pk")[:1]))
        .select_related("case")
        .only(
            "round_id",
            "security_marking",
            "case__security_marking",
            "response",
            "response_date",
            "response_summary",
            "case__name",
            "case__name_zh",
        )
        .order_by("case__name", "case_id")
    )
    # Hundreds of cases share a few rounds: each round is read, and labelled, once.
    rounds = (
        Round.objects.select_related("dialogue")
        .only(*ROUND_LABEL_FIELDS, "security_marking")
        .in_bulk({answer.round_id for answer in answers})
    )
    labels = {pk: str(found) for pk, found in rounds.items()}
    for answer in answers:
        answer.round_label = labels[answer.round_id]
    return answers


# -- cases of concern ---------------------------------------------------------------------------


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
    rounds_qs = rounds.select_related("dialogue").only(*ROUND_LABEL_FIELDS, "end_date")
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
    return [{"label": str(row.round), "value": row.rate, "text": percent(row.rate)} for row in rows]


def case_page(*, case, user) -> dict:
    raisings = list(
        visible(CaseRaising, user)
        .filter(within_clearance(user, "round"), case=case)
        .select_related("round__dialogue")
        .order_by("round__start_date")
    )
    for raising in raisings:
        ended = raising.round.end_date or raising.round.start_date
        raising.days_to_answer = (
            (raising.response_date - ended).days if raising.response_date else None
        )
    dialogues = sorted({r.round.dialogue for r in raisings}, key=str)
    return {"raisings": raisings, "dialogues": dialogues}


# -- materials and the translation gap ----------------------------------------------------------

# The language a party reads, as the Material flag that says a document exists in it. Only the
# three languages materials are recorded in are known; other parties are left out of the share.
PARTY_LANGUAGE = {"CN": "zh", "TW": "zh", "HK": "zh", "MO": "zh", "CA": "en+fr", "FR": "fr"}


@dataclass
class MaterialGap:
    round: Round
    to_partner: int  # materials the lead side handed to the partner
    in_partner_language: int | None  # None when the partner's language is not recorded
    from_partner: int
    by_language: dict  # {"en": n, "fr": n, "zh": n} over every material of the round

    @property
    def share(self) -> int | None:
        if self.in_partner_language is None or not self.to_partner:
            return None
        return round(100 * self.in_partner_language / self.to_partner)


def translation_gap(rounds, *, user) -> list[MaterialGap]:
    """Per round with materials: what each side provided, in which languages, and the share of
    the lead side's materials that exist in the partner's language."""
    rounds = {r.pk: r for r in rounds.select_related("dialogue")}
    materials = defaultdict(list)
    for material in visible(Material, user).filter(round__in=list(rounds)):
        materials[material.round_id].append(material)
    rows = []
    for pk, round_ in sorted(rounds.items(), key=lambda item: item[1].start_date):
        found = materials[pk]
        if not found:
            continue
        language = PARTY_LANGUAGE.get(round_.dialogue.partner_party.code)
        ours = [m for m in found if m.provided_by == Side.LEAD]
        rows.append(
            MaterialGap(
                round=round_,
                to_partner=len(ours),
                in_partner_language=(
                    sum(1 for m in ours if _exists_in(m, language)) if language else None
                ),
                from_partner=sum(1 for m in found if m.provided_by == Side.PARTNER),
                by_language={
                    code: sum(1 for m in found if code in m.languages)
                    for code in ("en", "fr", "zh")
                },
            )
        )
    return rows


def _exists_in(material, language: str) -> bool:
    return all(code in material.languages for code in language.split("+"))
