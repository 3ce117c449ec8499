"""What the site-wide search and the lookup boxes find among organizations and people."""

from django.utils.translation import gettext_lazy as _

from core.registry import Lookup, Searchable, register_lookup, register_search
from stakeholders.models import Organization, Person


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
        ),
    )
    register_lookup(
        "organization",
        Lookup(model=Organization, fields=("name", "name_fr", "name_zh", "acronym", "acronym_fr")),
    )
    register_lookup("person", Lookup(model=Person, fields=("full_name", "name_zh")))
