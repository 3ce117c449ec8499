"""Site-wide search: every kind of record the domain apps declare (core/registry.py), grouped
by kind, ranked full-text on PostgreSQL and by substring elsewhere."""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from core import registry
from core.access import can_view, visible
from core.filters import contains_any


@dataclass
class SearchGroup:
    label: str
    results: list  # [(object, url, highlighted text)]


LIMIT = 20


def search(*, query: str, user) -> list[SearchGroup]:
    """Results grouped by type; ranked full-text search on PostgreSQL, substring elsewhere."""
    groups = []
    for searched in registry.searchables:
        if not can_view(user, searched.model):
            continue
        queryset = visible(searched.model, user)
        if searched.related:
            queryset = queryset.select_related(*searched.related)
        if searched.matches is not None:  # the model's own rule, in its own order
            queryset = searched.matches(queryset, query)
        elif connection.vendor == "postgresql":
            queryset = _ranked(queryset, searched, query, contains_any(searched.fields, query))
        else:
            queryset = queryset.filter(contains_any(searched.fields, query)).order_by("pk")
        url = searched.url or (lambda obj: obj.get_absolute_url())
        results = [
            (obj, url(obj), highlight(_text(obj, searched.shown), query))
            for obj in queryset[:LIMIT]
        ]
        if results:
            groups.append(SearchGroup(label=searched.label, results=results))
    return groups


def _ranked(queryset, searched, query, contains):
    # A stored document is matched and ranked as it is, instead of a vector computed again
    # for every row found.
    if searched.document:
        vector = F(searched.document)
    else:
        vector = SearchVector(*searched.fields, config="simple")
    search_query = SearchQuery(query, search_type="websearch", config="simple")
    # Substring matching as well: Chinese names have no spaces for the parser to split on.
    # Both conditions match the indexes the searched models declare (core/search.py), so only
    # the rows found are ranked.
    return (
        queryset.alias(document=vector)
        .filter(Q(document=search_query) | contains)
        .annotate(rank=SearchRank(vector, search_query))
        .order_by("-rank", "pk")
    )


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
