"""What the site-wide search and the lookup boxes find among organizations and people."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.registry import Lookup, Searchable, register_lookup, register_search
from stakeholders.models import Consultation, Organization, Person


def consultation_url(consultation) -> str | None:
    """On its round's page (if the reader may see the round), else the dialogue's list."""
    if consultation.round_id:
        return consultation.round.get_absolute_url()
    return reverse("stakeholders:consultation_list") + f"?dialogue={consultation.dialogue.slug}"


def consultation_context(consultation) -> str:
    """Its round (dialogue, number, year), or its dialogue and date between rounds."""
    if consultation.round_id:
        return str(consultation.round)
    return f"{consultation.dialogue}, {consultation.date:%Y}"


def register() -> None:
    register_search(
        Searchable(
            label=_("Organizations"),
            model=Organization,
            fields=("name", "name_fr", "name_zh", "acronym", "acronym_fr", "description"),
            shown="display_name",
            order=40,
            document="search_document",
        ),
        Searchable(
            label=_("People"),
            model=Person,
            fields=("full_name", "name_zh", "position"),
            shown="position",
            related=("organization",),
            order=60,
            document="search_document",
            context=lambda person: str(person.organization or ""),
        ),
        Searchable(
            label=_("Consultations and debriefings"),
            model=Consultation,
            fields=("kind", "location", "summary"),
            shown="summary",
            related=("dialogue", "round__dialogue"),
            order=45,
            url=consultation_url,
            document="search_document",
            context=consultation_context,
        ),
    )
    register_lookup(
        "organization",
        Lookup(model=Organization, fields=("name", "name_fr", "name_zh", "acronym", "acronym_fr")),
    )
    register_lookup("person", Lookup(model=Person, fields=("full_name", "name_zh")))
