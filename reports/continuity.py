"""The topic continuity matrix: which topics each round raised, year by year, and their pattern."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _

from core import reading
from core.access import visible
from followup.models import FollowUpProject
from rounds.models import Dialogue, Round, Topic
from rounds.selectors import DIALOGUE_LABEL_FIELDS, topic_links_in


@dataclass
class Cell:
    year: int
    rounds: list = field(default_factory=list)  # [(round, [agenda item id])]

    @property
    def count(self) -> int:
        return len(self.rounds)


@dataclass(slots=True)
class RoundLabel:
    """What the matrix shows of a round: its name and its link, the model's own (Round), from
    values already read: a page links to a thousand rounds, too many to build as records."""

    pk: int
    number: int | None
    start_date: object
    dialogue: str  # its dialogue's name as the reader sees it (str(Dialogue)), worked out once

    __str__ = Round.__str__
    get_absolute_url = Round.get_absolute_url


@dataclass
class Scope:
    """The rounds in the matrix's scope, as plain values: at scale a thousand of them, of
    which a page names only those its rows raised (`fill_rounds` labels them)."""

    years: list[int]
    date: dict = field(default_factory=dict)  # round id -> (start date, id), its place in time
    number: dict = field(default_factory=dict)  # round id -> (its number, its dialogue's id)
    labelled: dict = field(default_factory=dict)  # round id -> RoundLabel, once for a page
    several_dialogues: bool = False  # then a round's short label names its dialogue


@dataclass
class ContinuityRow:
    topic: Topic
    total: int
    first_year: int
    last_year: int
    recurring: bool
    dropped: bool
    followed_up: bool
    raised: dict = field(default_factory=dict, repr=False)  # round id -> first agenda item id
    scope: Scope | None = field(default=None, repr=False)

    @property
    def once(self) -> bool:
        return self.total == 1

    @property
    def patterns(self) -> list[tuple[str, str]]:
        """The row's pattern badges, as (kind, label): the page and the CSV say the same."""
        patterns = []
        if self.recurring:
            patterns.append(("recurring", _("Recurring")))
        if self.dropped:
            patterns.append(("dropped", _("Dropped after %(year)s") % {"year": self.last_year}))
        if self.once:
            patterns.append(("once", _("Once")))
        if not self.followed_up:
            patterns.append(("unfollowed", _("No follow-up")))
        return patterns

    @property
    def counts(self) -> list[int]:
        """How many rounds raised the topic, one count per year."""
        by_year = defaultdict(int)
        for pk in self.raised:
            by_year[self.scope.date[pk][0].year] += 1
        return [by_year[year] for year in self.scope.years]

    @cached_property
    def cells(self) -> list[Cell]:
        """One per year, built when asked for: a page shows fifty rows of hundreds."""
        if any(pk not in self.scope.labelled for pk in self.raised):
            fill_rounds([self])
        cells = {year: Cell(year) for year in self.scope.years}
        for pk in sorted(self.raised, key=self.scope.date.__getitem__):
            round_ = self.scope.labelled[pk]
            cells[round_.start_date.year].rounds.append((round_, [self.raised[pk]]))
        return list(cells.values())


@dataclass
class Continuity:
    years: list[int]
    rows: list[ContinuityRow]
    several_dialogues: bool = False


def fill_rounds(rows: list[ContinuityRow]) -> None:
    """Label the rounds that these rows (a page's) link to: their dialogues read in one query,
    the rest known from the scope (every round in it was noted as read when it was built)."""
    if not rows:
        return
    scope = rows[0].scope
    wanted = {pk for row in rows for pk in row.raised if pk not in scope.labelled}
    if wanted:
        dialogues = Dialogue.objects.only(*DIALOGUE_LABEL_FIELDS).in_bulk(
            {scope.number[pk][1] for pk in wanted}
        )
        named = {pk: str(dialogue) for pk, dialogue in dialogues.items()}
        for pk in wanted:
            number, dialogue_id = scope.number[pk]
            scope.labelled[pk] = RoundLabel(pk, number, scope.date[pk][0], named[dialogue_id])


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

    Four queries: the rounds in scope (as values), the topic links, the topics and the
    followed-up topics; rows and years come from them in Python. The rounds a page shows are
    read as records by `fill_rounds`, for that page alone.
    """
    rounds_qs = visible(Round, user)
    if dialogues:
        rounds_qs = rounds_qs.filter(dialogue__in=dialogues)
    if year_from:
        rounds_qs = rounds_qs.filter(start_date__year__gte=year_from)
    if year_to:
        rounds_qs = rounds_qs.filter(start_date__year__lte=year_to)
    rounds = list(
        rounds_qs.order_by("start_date", "pk").values_list(
            "pk", "dialogue_id", "start_date", "security_marking", "number", named=True
        )
    )
    # Every round in scope counts towards the matrix: each is noted as read, as a record is.
    for round_ in rounds:
        reading.note(Round, round_.pk, round_.security_marking)
    # Each round's next in its dialogue's sequence, and each dialogue's latest round.
    following, latest = {}, {}
    for round_ in rounds:
        if round_.dialogue_id in latest:
            following[latest[round_.dialogue_id]] = round_.pk
        latest[round_.dialogue_id] = round_.pk
    dialogue_of = {round_.pk: round_.dialogue_id for round_ in rounds}

    raised = defaultdict(dict)  # topic -> round -> its first agenda item
    links = topic_links_in(rounds_qs, user=user, category=category).values_list(
        "topic_id", "agendaitem_id", "agendaitem__round_id", "agendaitem__security_marking"
    )
    markings = set()
    for topic_id, item_id, round_id, marking in links:
        markings.add(marking)
        by_round = raised[topic_id]
        first = by_round.get(round_id)
        if first is None or item_id < first:
            by_round[round_id] = item_id

    # The agenda items place each topic at its rounds: the matrix is as marked as they are
    # (noted by marking alone: a matrix draws thousands of them).
    for marking in markings:
        reading.note(None, None, marking)
    topics = Topic.objects.in_bulk(list(raised))
    # Whether a topic was followed up says a project exists: the matrix is as marked as the
    # projects that say so (noted by marking alone).
    followed, project_markings = set(), set()
    for topic_id, marking in (
        FollowUpProject.topics.through.objects.filter(
            followupproject__in=visible(FollowUpProject, user).order_by()
        )
        .order_by()
        .values_list("topic_id", "followupproject__security_marking")
        .distinct()
    ):
        followed.add(topic_id)
        project_markings.add(marking)
    for marking in project_markings:
        reading.note(None, None, marking)
    if rounds:
        first = year_from or rounds[0].start_date.year
        last = year_to or rounds[-1].start_date.year
        years = list(range(first, last + 1))
    else:
        years = []
    scope = Scope(
        years=years,
        date={round_.pk: (round_.start_date, round_.pk) for round_ in rounds},
        number={round_.pk: (round_.number, round_.dialogue_id) for round_ in rounds},
        several_dialogues=len(latest) > 1,
    )
    year_of = {round_.pk: round_.start_date.year for round_ in rounds}

    rows = []
    for topic_id, by_round in raised.items():
        total = len(by_round)
        if min_count and total < min_count:
            continue
        raised_years = {year_of[pk] for pk in by_round}
        rows.append(
            ContinuityRow(
                topic=topics[topic_id],
                total=total,
                first_year=min(raised_years),
                last_year=max(raised_years),
                recurring=any(following.get(pk) in by_round for pk in by_round),
                dropped=any(
                    latest[dialogue] not in by_round
                    for dialogue in {dialogue_of[pk] for pk in by_round}
                ),
                followed_up=topic_id in followed,
                raised=by_round,
                scope=scope,
            )
        )
    keys = {
        "frequency": lambda row: (-row.total, row.topic.name),
        "name": lambda row: row.topic.name.casefold(),
        "first": lambda row: (row.first_year, -row.total, row.topic.name),
    }
    rows.sort(key=keys.get(sort, keys["first"]))
    return Continuity(years=years, rows=rows, several_dialogues=scope.several_dialogues)
