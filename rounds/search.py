"""What the site-wide search and the lookup boxes find among dialogues, rounds and topics."""

from django.utils.translation import gettext_lazy as _

from core.registry import Lookup, Searchable, register_lookup, register_search
from rounds.models import AgendaItem, Commitment, Round, Topic


def rounds_matching(rounds, text: str):
    """What the site-wide search and the lookup boxes find for a text: the rounds it names
    (Round.objects.matching, the rule the lists and the admin use too), the newest first."""
    return rounds.matching(text).order_by("-start_date", "pk")


def agenda_item_url(item) -> str:
    return f"{item.round.get_absolute_url()}#item-{item.pk}"


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
        Lookup(model=Round, related=("dialogue",), matches=rounds_matching),
    )
    register_lookup(
        "commitment",
        Lookup(
            model=Commitment,
            fields=("text", "undertaken_by"),
            related=("round__dialogue",),
            ordering=("-round__start_date", "pk"),
        ),
    )
