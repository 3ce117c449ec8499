"""The topic continuity matrix: which topics each round raised, year by year, and their pattern."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from core.access import visible
from followup.models import FollowUpProject
from rounds.models import Round, Topic
from rounds.selectors import ROUND_LABEL_FIELDS, topic_links_in


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
    for topic_id, item_id, round_id in topic_links_in(rounds_qs, user=user, category=category):
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
