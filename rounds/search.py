"""What the site-wide search and the lookup boxes find among dialogues, rounds and topics."""

from django.utils.translation import gettext_lazy as _

from core.registry import Lookup, Searchable, register_lookup, register_search
from rounds.models import (
    AgendaItem,
    CaseOfConcern,
    Commitment,
    Dialogue,
    Material,
    Round,
    SiteVisit,
    Topic,
)


def rounds_matching(rounds, text: str):
    """What the site-wide search and the lookup boxes find for a text: the rounds it names
    (Round.objects.matching, the rule the lists and the admin use too), the newest first."""
    return rounds.matching(text).order_by("-start_date", "pk")


def on_round_page(record, anchor: str = "") -> str | None:
    """A record shown on its round's page; None (unlinked) if the reader may not see the round,
    whose address would name it."""
    url = record.round.get_absolute_url()
    return f"{url}{anchor}" if url else None


def agenda_item_url(item) -> str | None:
    return on_round_page(item, f"#item-{item.pk}")


def round_of(record) -> str:
    """A result's context: its round, which names the dialogue, the number and the year
    ("JCHR, round 9 (2005)"), or "restricted record"."""
    return str(record.round)


def dialogue_years(dialogue) -> str:
    start, end = dialogue.start_year or "?", dialogue.end_year or ""
    return f"{dialogue.display_name}, {start}–{end}"


def visit_context(visit) -> str:
    place = ", ".join(str(p) for p in (visit.region, visit.country.name) if p)
    when = visit.start_date.strftime("%Y-%m") if visit.start_date else ""
    return ", ".join(part for part in (place, when) if part)


def case_names(case) -> str:
    return " · ".join(name for name in case.names() if name)


def register() -> None:
    register_search(
        Searchable(
            label=_("Rounds"),
            model=Round,
            fields=(),
            shown="summary",
            related=("dialogue",),
            order=10,
            matches=rounds_matching,
        ),
        Searchable(
            label=_("Agenda items"),
            model=AgendaItem,
            fields=("title", "summary"),
            shown="title",
            related=("round__dialogue",),
            order=20,
            url=agenda_item_url,
            document="search_document",
            context=round_of,
        ),
        Searchable(
            label=_("Topics"),
            model=Topic,
            fields=("name", "name_fr", "name_zh", "aliases", "description"),
            shown="display_name",
            order=30,
        ),
        Searchable(
            label=_("Dialogues"),
            model=Dialogue,
            fields=("name", "name_fr", "name_zh", "acronym", "acronym_fr", "description"),
            shown="description",
            order=5,
            context=dialogue_years,
        ),
        Searchable(
            label=_("Cases of concern"),
            model=CaseOfConcern,  # Case officers only: can_view and visible_to say so
            fields=("name", "name_zh", "aliases", "province"),
            shown=case_names,
            order=15,
            document="search_document",
            context=lambda case: case.get_status_display(),
        ),
        Searchable(
            label=_("Commitments"),
            model=Commitment,
            fields=("text", "undertaken_by", "evidence"),
            shown="text",
            related=("round__dialogue",),
            order=22,
            url=lambda commitment: on_round_page(commitment, f"#commitment-{commitment.pk}"),
            document="search_document",
            context=round_of,
        ),
        Searchable(
            label=_("Site visits"),
            model=SiteVisit,
            fields=("city", "region", "purpose", "institutions_note"),
            shown="purpose",
            related=("round__dialogue",),
            order=24,
            url=on_round_page,
            document="search_document",
            context=visit_context,
        ),
        Searchable(
            label=_("Materials"),
            model=Material,
            fields=("title", "notes"),
            shown="notes",
            related=("round__dialogue",),
            order=26,
            url=on_round_page,
            document="search_document",
            context=round_of,
        ),
    )
    register_lookup(
        "round",
        Lookup(model=Round, related=("dialogue",), matches=rounds_matching),
    )
    # A topic by any of its names or wordings; typed whole, its English name names it.
    register_lookup("topic", Lookup(model=Topic, fields=("name", "name_fr", "name_zh", "aliases")))
    register_lookup(
        "commitment",
        Lookup(
            model=Commitment,
            fields=("text", "undertaken_by"),
            related=("round__dialogue",),
            ordering=("-round__start_date", "pk"),
        ),
    )
