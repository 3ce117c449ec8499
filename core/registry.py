"""What each domain app declares for the features that span them (search, lookups, exchange).

The core and the cross-cutting features never import a domain app. Instead, each domain app's
`search.py` declares its records here when the app is ready (see its `apps.py`), and the
features read the declarations: the search page (`search/`), the lookup boxes
(`core/lookups.py`) and the dialogue exchange (`exchange/`).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Searchable:
    """A kind of record the site-wide search finds, shown as a group of results."""

    label: str
    model: type
    fields: tuple[str, ...]  # searched
    shown: str | Callable  # the text shown (and highlighted): a field, or a function of it
    related: tuple[str, ...] = ()  # fetched with the results
    order: int = 0  # groups appear in this order
    # A result's address (None: shown unlinked); default: get_absolute_url().
    url: Callable | None = None
    # Where a result belongs, said beside it: its dialogue, round and year (a function of the
    # record reading only what `related` fetched; a hidden one reads "restricted record").
    context: Callable | None = None
    # The model's stored search document of the same fields (core/search.py), if it has one.
    document: str | None = None
    # The model's own rule for what a query finds, in place of the fields: a function of the
    # queryset and the text (rounds: by number, year and dialogue, Round.objects.matching).
    matches: Callable | None = None


@dataclass(frozen=True)
class Lookup:
    """A kind of record a lookup box offers (`/lookup/<kind>/?q=`)."""

    model: type
    fields: tuple[str, ...] = ()  # matched against each typed word; the first names the record
    related: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ()
    # The model's own rule for what a text names, in place of the fields: a function of the
    # queryset and the text, which the suggestions and the field that reads them back both use.
    matches: Callable | None = None


searchables: list[Searchable] = []
lookups: dict[str, Lookup] = {}


def register_search(*items: Searchable) -> None:
    for item in items:
        if item not in searchables:
            searchables.append(item)
    searchables.sort(key=lambda item: item.order)


def register_lookup(kind: str, lookup: Lookup) -> None:
    lookups[kind] = lookup


# -- parts of a record's page that another app supplies ------------------------------------------
# A round's page shows its delegations (stakeholders) and its follow-up (followup); rounds does
# not import them. Each app registers a function that returns its part of the page's context.
page_parts: dict[str, list[Callable[..., dict]]] = {}
# Columns another app adds to a list's queryset: functions of the user returning annotations.
list_annotations: dict[str, list[Callable[..., dict]]] = {}


def _add_once(registry: dict, key: str, item) -> None:
    """Add `item` to the list under `key`, once (an app made ready twice adds nothing more)."""
    items = registry.setdefault(key, [])
    if item not in items:
        items.append(item)


def register_page_part(page: str, part: Callable[..., dict]) -> None:
    _add_once(page_parts, page, part)


def page_context(page: str, **kwargs) -> dict:
    """What the registered parts add to a page's context (each gets the same keyword arguments)."""
    context = {}
    for part in page_parts.get(page, ()):
        context.update(part(**kwargs))
    return context


def register_list_annotation(listing: str, annotate: Callable[..., dict]) -> None:
    _add_once(list_annotations, listing, annotate)


def annotations(listing: str, *, user) -> dict:
    found = {}
    for annotate in list_annotations.get(listing, ()):
        found.update(annotate(user=user))
    return found


# Admin inlines another app adds to a model's change page, by "app_label.model_name".
admin_inlines: dict[str, list] = {}


def register_admin_inline(model: str, inline) -> None:
    _add_once(admin_inlines, model, inline)
