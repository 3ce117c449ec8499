"""Reads that aggregate rounds and topics: continuity, overlap, a topic's timeline, a round's
page. Each issues a fixed number of queries whatever the size of the data."""

from collections import defaultdict
from itertools import pairwise

from django.db.models import (
    Count,
    IntegerField,
    Max,
    Min,
    OuterRef,
)

from core.access import visible
from core.expressions import count, largest, smallest
from core.models import within_clearance
from core.registry import annotations, page_context
from rounds.models import (
    AgendaItem,
    CaseRaising,
    Commitment,
    Dialogue,
    Material,
    Round,
    SiteVisit,
)

TopicLink = AgendaItem.topics.through
# What a dialogue's and a round's names (their __str__) and links read; the reports load a
# thousand rounds, and their other fields (country fields above all) cost more to build than
# a page can spare.
DIALOGUE_LABEL_FIELDS = ("slug", "name", "name_fr", "acronym", "acronym_fr")
ROUND_LABEL_FIELDS = (
    "number",
    "start_date",
    *(f"dialogue__{name}" for name in DIALOGUE_LABEL_FIELDS),
)


def home_dialogue(user, slug=None):
    """The dialogue a page is about when none is chosen (the dashboard, follow-up coverage):
    the one asked for, else the one with most rounds the user may see."""
    dialogues = Dialogue.objects.annotate(
        round_count=Count("rounds", filter=within_clearance(user, "rounds"))
    )
    if slug:
        found = dialogues.filter(slug=slug).first()
        if found:
            return found
    return dialogues.order_by("-round_count", "name").first()


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
    """Annotate topics with what other apps add to the list (whether a visible project works on
    them) and, unless `counts` is off (see topic_counts), how often and from when to when
    visible rounds raised them."""
    queryset = queryset.annotate(**annotations("topic", user=user))
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


# -- one round, one topic, one dialogue ---------------------------------------------------------


def previous_round(round_, *, user):
    """The dialogue's round before this one that the user may see, with its dialogue, or None."""
    return (
        visible(Round, user)
        .filter(dialogue=round_.dialogue_id, start_date__lt=round_.start_date)
        .select_related("dialogue")
        .order_by("-start_date")
        .first()
    )


def round_page(*, round_, user) -> dict:
    """Everything a round's page shows, prefetched in a fixed number of queries; delegations,
    consultations and follow-up come from their apps (core/registry.py, page "round")."""
    items = (
        visible(AgendaItem, user)
        .filter(round=round_)
        .prefetch_related("topics", "presenting_organizations")
        .order_by("order", "pk")
    )
    commitments = defaultdict(list)
    for commitment in visible(Commitment, user).filter(round=round_).order_by("due_date", "pk"):
        commitment.round = round_  # its sides are named by the round's dialogue
        commitments[commitment.agenda_item_id].append(commitment)
    segments = defaultdict(list)
    for item in items:
        item.shown_commitments = commitments.pop(item.pk, [])
        segments[item.get_segment_display()].append(item)
    previous = previous_round(round_, user=user)
    return {
        "segments": dict(segments),
        # Made under no agenda item, or under one the user may not see.
        "other_commitments": [c for shown in commitments.values() for c in shown],
        "previous_round": previous,
        "site_visits": visible(SiteVisit, user)
        .filter(round=round_)
        .prefetch_related("topics", "institutions"),
        "materials": visible(Material, user).filter(round=round_),
        **page_context("round", round_=round_, user=user, previous=previous),
    }


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
        "children": topic.children.all(),
        "commitments": visible(Commitment, user)
        .filter(within_clearance(user, "round"), agenda_item__topics=topic)
        .select_related("round__dialogue")
        .order_by("round__start_date", "pk"),
        **page_context("topic", topic=topic, user=user),
    }


def dialogue_page(*, dialogue, user) -> dict:
    """A dialogue's rounds; the heads of delegation across them come from stakeholders."""
    rounds = list(
        visible(Round, user)
        .filter(dialogue=dialogue)
        .annotate(topic_count=Count("agenda_items__topics", distinct=True))
        .order_by("start_date", "pk")
    )
    return {
        "rounds": rounds,
        **page_context("dialogue", dialogue=dialogue, rounds=rounds, user=user),
    }


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


def topic_links_in(rounds, *, user, category=None):
    """(topic id, agenda item id, round id) for visible agenda items of these rounds (a
    queryset: a subquery keeps a thousand ids out of the statement)."""
    links = TopicLink.objects.filter(
        within_clearance(user, "agendaitem"), agendaitem__round__in=rounds.values("pk")
    )
    if category:
        links = links.filter(topic__category=category)
    return links.values_list("topic_id", "agendaitem_id", "agendaitem__round_id")
