"""Cross-dialogue overlap: topics raised with the same partner by several dialogues."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Count,
)

from core import reading
from core.access import visible
from core.expressions import year_number
from core.models import within_clearance
from rounds.models import AgendaItem, Round, Topic
from rounds.selectors import ROUND_LABEL_FIELDS, TopicLink, topic_links_in


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


def raised_elsewhere(*, user, partner, topics, since, until, besides) -> dict[int, list]:
    """For each of `topics`, the rounds of the other dialogues with the same partner (not
    `besides`) that raised it between `since` and `until`: the overlap the partner complains
    of, as a briefing pack shows it beside one dialogue's agenda. Two queries."""
    rounds = (
        _overlap_rounds(user=user, partner=partner)
        .filter(start_date__gte=since, start_date__lte=until)
        .exclude(dialogue=besides)
        .only(*ROUND_LABEL_FIELDS, "security_marking")
    )
    by_topic = defaultdict(set)
    for topic_id, _item, round_id in topic_links_in(rounds, user=user).filter(topic__in=topics):
        by_topic[topic_id].add(round_id)
    found = rounds.in_bulk({pk for ids in by_topic.values() for pk in ids})
    return {
        topic_id: sorted(
            (found[pk] for pk in ids if pk in found), key=lambda r: (r.start_date, r.pk)
        )
        for topic_id, ids in by_topic.items()
    }


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
    links = topic_links_in(rounds_qs, user=user).filter(
        topic__in={topic for topic, _year in wanted},
        agendaitem__round__start_date__year__in={year for _topic, year in wanted},
    )
    grouped = defaultdict(lambda: defaultdict(list))  # (topic, year) -> round -> items
    for topic_id, item_id, round_id, year, marking in links.values_list(
        "topic_id",
        "agendaitem_id",
        "agendaitem__round_id",
        "agendaitem__round__start_date__year",
        "agendaitem__security_marking",
    ):
        if (topic_id, year) in wanted:
            grouped[(topic_id, year)][round_id].append(item_id)
            reading.note(AgendaItem, item_id, marking)  # the row links to it
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
