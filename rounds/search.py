"""What the site-wide search and the lookup boxes find among dialogues, rounds and topics."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.registry import Lookup, Searchable, register_lookup, register_search
from rounds.models import AgendaItem, Round, Topic

NUMBER_OR_YEAR = range(1, 10000)


def round_number_or_year(word: str) -> Q:
    """A typed word that is a number matches a round's number, or its year if it can be one
    (999999 matches nothing rather than failing past the column's range); another word adds
    nothing to what the names match."""
    if not word.isdigit() or not word.isascii():
        return Q()
    number = int(word)
    match = Q(number=number)
    if number in NUMBER_OR_YEAR:
        match |= Q(start_date__year=number)
    return match


def agenda_item_url(item) -> str:
    return f"{item.round.get_absolute_url()}#item-{item.pk}"


def register() -> None:
    register_search(
        Searchable(
            label=_("Rounds"),
            model=Round,
            fields=(
                "cities",
                "summary",
                "dialogue__name",
                "dialogue__name_fr",
                "dialogue__acronym",
            ),
            shown="summary",
            related=("dialogue",),
            order=10,
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
        ),
        Searchable(
            label=_("Topics"),
            model=Topic,
            fields=("name", "name_fr", "name_zh", "aliases", "description"),
            shown="display_name",
            order=30,
        ),
    )
    register_lookup(
        "round",
        Lookup(
            model=Round,
            fields=(
                "dialogue__name",
                "dialogue__name_fr",
                "dialogue__acronym",
                "dialogue__acronym_fr",
                "cities",
            ),
            related=("dialogue",),
            ordering=("-start_date",),
            word=round_number_or_year,
        ),
    )
