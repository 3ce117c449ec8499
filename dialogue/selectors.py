"""Reads that span the apps: the dashboard's figures and site-wide search."""

import re
from dataclasses import dataclass
from functools import cached_property

from django.apps import apps as django_apps
from django.db import connection
from django.db.models import Count, Exists, Expression, OuterRef, Q
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from dialogue.access import can_view, visible
from dialogue.filters import contains_any
from dialogue.history import AUDITED_APPS, is_audited, visible_history
from followup.models import Benchmark, FollowUpAction, FollowUpProject
from rounds.models import AgendaItem, Dialogue, Round, Topic
from rounds.selectors import case_answers, case_chart
from stakeholders.models import Consultation, Organization, Person

OPEN = [FollowUpAction.Status.OPEN, FollowUpAction.Status.IN_PROGRESS]
COVERAGE_ROUNDS = 3


def home_dialogue(user, slug=None):
    """The dialogue the dashboard is about: the one asked for, else the one with most rounds."""
    dialogues = Dialogue.objects.annotate(
        round_count=Count("rounds", filter=Q(rounds__security_marking__in=user.visible_markings))
    )
    if slug:
        found = dialogues.filter(slug=slug).first()
        if found:
            return found
    return dialogues.order_by("-round_count", "name").first()


def dashboard(*, user, dialogue_slug=None) -> dict:
    """The dashboard's figures for one dialogue, in a fixed number of queries."""
    today = timezone.localdate()
    dialogue = home_dialogue(user, dialogue_slug)
    rounds = visible(Round, user).filter(dialogue=dialogue).select_related("dialogue")
    held = rounds.filter(status=Round.Status.HELD, start_date__lte=today)
    last = held.order_by("-start_date").first()
    upcoming = rounds.filter(start_date__gt=today).exclude(status=Round.Status.CANCELLED)
    context = {
        "dialogue": dialogue,
        "dialogues": Dialogue.objects.order_by("name"),
        "last_round": last,
        "next_round": upcoming.order_by("start_date").first(),
        "last_topics": _topics_with_history(last, user) if last else [],
        "overdue": visible(FollowUpAction, user)
        .filter(status__in=OPEN, due_date__lt=today)
        .select_related("round__dialogue", "owner_organization")
        .order_by("due_date")[:10],
        "coverage": _coverage(held, user),
        "undebriefed": held.annotate(
            debriefed=Exists(
                visible(Consultation, user).filter(
                    round=OuterRef("pk"), kind=Consultation.Kind.DEBRIEFING
                )
            )
        )
        .filter(debriefed=False)
        .order_by("start_date"),
        "case_rates": None,
    }
    if user.is_case_officer:
        rates = case_answers(held, user=user)
        context["case_rates"] = rates
        context["case_chart"] = case_chart(rates)
    return context


def _topics_with_history(last, user) -> list:
    seen = Q(agenda_items__security_marking__in=user.visible_markings)
    before = seen & Q(
        agenda_items__round__dialogue=last.dialogue_id,
        agenda_items__round__start_date__lt=last.start_date,
        agenda_items__round__security_marking__in=user.visible_markings,
    )
    # Select the last round's topics through a subquery, so that the count below walks its own
    # join over every round rather than the one the selection used.
    in_last = AgendaItem.topics.through.objects.filter(
        agendaitem__round=last, agendaitem__security_marking__in=user.visible_markings
    ).values("topic_id")
    return list(
        Topic.objects.filter(pk__in=in_last)
        .annotate(raised_before=Count("agenda_items__round", filter=before, distinct=True))
        .order_by("-raised_before", "name")
    )


@dataclass
class Coverage:
    topics: list
    covered: set

    @property
    def percent(self) -> int | None:
        return round(100 * len(self.covered) / len(self.topics)) if self.topics else None


def _coverage(held, user) -> Coverage:
    """Share of the thematic topics of the last rounds that have a follow-up project."""
    recent = list(held.order_by("-start_date").values_list("pk", flat=True)[:COVERAGE_ROUNDS])
    topics = list(
        Topic.objects.filter(
            agenda_items__round__in=recent,
            agenda_items__segment=AgendaItem.Segment.THEMATIC,
            agenda_items__security_marking__in=user.visible_markings,
        )
        .annotate(covered=Exists(visible(FollowUpProject, user).filter(topics=OuterRef("pk"))))
        .distinct()
        .order_by("name")
    )
    return Coverage(topics=topics, covered={t.pk for t in topics if t.covered})


# -- search -------------------------------------------------------------------------------------


@dataclass
class SearchGroup:
    label: str
    results: list  # [(object, url, highlighted text)]


SEARCHES = [
    # label, model, fields searched, field shown, related to fetch
    (
        _("Rounds"),
        Round,
        ["cities", "summary", "dialogue__name", "dialogue__name_fr", "dialogue__acronym"],
        "summary",
        ["dialogue"],
    ),
    (_("Agenda items"), AgendaItem, ["title", "summary"], "title", ["round__dialogue"]),
    (
        _("Topics"),
        Topic,
        ["name", "name_fr", "name_zh", "aliases", "description"],
        "display_name",
        [],
    ),
    (
        _("Organizations"),
        Organization,
        ["name", "name_fr", "name_zh", "acronym", "acronym_fr", "description"],
        "display_name",
        [],
    ),
    (
        _("Benchmarks"),
        Benchmark,
        ["name", "name_fr", "name_zh", "target", "description"],
        "display_name",
        [],
    ),
    (_("People"), Person, ["full_name", "name_zh", "position"], "position", ["organization"]),
    (_("Projects"), FollowUpProject, ["title", "objectives", "results"], "objectives", []),
    (_("Actions"), FollowUpAction, ["title", "description"], "title", ["round__dialogue"]),
]
LIMIT = 20


def search(*, query: str, user) -> list[SearchGroup]:
    """Results grouped by type; ranked full-text search on PostgreSQL, substring elsewhere."""
    groups = []
    for label, model, fields, shown, related in SEARCHES:
        if not can_view(user, model):
            continue
        queryset = visible(model, user)
        if related:
            queryset = queryset.select_related(*related)
        contains = contains_any(fields, query)
        if connection.vendor == "postgresql":
            queryset = _ranked(queryset, fields, query, contains)
        else:
            queryset = queryset.filter(contains).order_by("pk")
        results = [
            (obj, _url(obj), highlight(_text(obj, shown), query)) for obj in queryset[:LIMIT]
        ]
        if results:
            groups.append(SearchGroup(label=label, results=results))
    return groups


# Tables that keep their search document in a generated column (migration dialogue 0008):
# matched and ranked on it instead of a vector computed again for every row found.
DOCUMENTED = {AgendaItem, Organization, Person, FollowUpProject, FollowUpAction}
DOCUMENT_COLUMN = "search_document"


class StoredDocument(Expression):
    """The search document column of the query's own table (PostgreSQL only)."""

    @cached_property
    def output_field(self):
        from django.contrib.postgres.search import SearchVectorField

        return SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name(compiler.query.get_initial_alias())
        return f"{table}.{compiler.quote_name(DOCUMENT_COLUMN)}", []


def _ranked(queryset, fields, query, contains):
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    if queryset.model in DOCUMENTED:
        vector = StoredDocument()
    else:
        vector = SearchVector(*fields, config="simple")
    search_query = SearchQuery(query, search_type="websearch", config="simple")
    # Substring matching as well: Chinese names have no spaces for the parser to split on.
    # Both conditions match the search indexes (migrations dialogue 0006 and 0008), so only
    # the rows found are ranked.
    return (
        queryset.alias(document=vector)
        .filter(Q(document=search_query) | contains)
        .annotate(rank=SearchRank(vector, search_query))
        .order_by("-rank", "pk")
    )


def _url(obj):
    if isinstance(obj, AgendaItem):
        return f"{obj.round.get_absolute_url()}#item-{obj.pk}"
    if isinstance(obj, FollowUpAction):
        return obj.round.get_absolute_url() if obj.round_id else obj.project.get_absolute_url()
    return obj.get_absolute_url()


def _text(obj, field) -> str:
    value = getattr(obj, field) or ""
    return value if len(value) <= 240 else value[:240] + "…"


def highlight(text: str, query: str):
    """Mark each query word in the text. Matched on the text as written, then each piece is
    escaped, so a word never lands inside an entity (`&<mark>amp</mark>;`) or a tag."""
    words = sorted({w for w in re.split(r"\s+", query) if len(w) > 1}, key=len, reverse=True)
    if not words:
        return escape(text)
    # One capturing group: split() then alternates the text between matches and the matches.
    pattern = re.compile("(" + "|".join(re.escape(w) for w in words) + ")", re.IGNORECASE)
    pieces = pattern.split(text)
    return mark_safe(  # every piece escaped
        "".join(
            format_html("<mark>{}</mark>", piece) if odd % 2 else escape(piece)
            for odd, piece in enumerate(pieces)
        )
    )


# -- recent changes -----------------------------------------------------------------------------

RECENT = 100


def recent_changes(*, user) -> list:
    """The latest history rows of every audited model the user may see, newest first.

    One query per model (a fixed number), each limited, then merged.
    """
    entries = []
    for app in AUDITED_APPS:
        for model in django_apps.get_app_config(app).get_models():
            if not is_audited(model):
                continue
            versions = model.history.select_related("history_user").order_by("-history_date")
            records = visible_history(versions, user)
            meta = model._meta
            entries.extend(
                (record, meta.app_label, meta.model_name, meta.verbose_name)
                for record in records[:RECENT]
            )
    entries.sort(key=lambda pair: pair[0].history_date, reverse=True)
    return entries[:RECENT]
