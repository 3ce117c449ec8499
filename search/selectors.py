"""Site-wide search: every kind of record the domain apps declare (core/registry.py), grouped
by kind, ranked full-text on PostgreSQL and by substring elsewhere."""

import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from core import registry
from core.access import can_view, visible
from core.filters import contains_any
from core.references import reading_as
from core.text import WORD


@dataclass
class SearchGroup:
    label: str
    results: list  # [SearchResult]


class SearchResult(NamedTuple):
    record: object
    url: str | None  # None: shown unlinked (its page would name a record the reader may not see)
    text: str  # the shown text, query words marked
    context: str  # where it belongs: its dialogue, round and year


LIMIT = 20
# Words shorter than this are matched as whole words only, not inside others: "of" in
# "use-of-force" would find nearly everything, and no trigram index can look it up.
SUBSTRING_LENGTH = 3


def query_words(query: str) -> list[str]:
    """The words of a query as a reader means them: punctuation separates words and is not
    itself searched ("use-of-force" is use, of, force; "Rights & Democracy" is rights,
    democracy)."""
    return WORD.findall(unicodedata.normalize("NFKC", query))


def search(*, query: str, user) -> list[SearchGroup]:
    """Results grouped by type; every word of the query must match, whole (ranked full-text on
    PostgreSQL) or inside a longer word (substring, as Chinese is written without spaces).
    One query per kind of record, whatever the data."""
    words = query_words(query)
    if not words:  # only punctuation: nothing to look for
        return []
    groups = []
    for searched in registry.searchables:
        if not can_view(user, searched.model):
            continue
        queryset = visible(searched.model, user)
        if searched.matches is not None:  # the model's own rule, in its own order
            queryset = searched.matches(queryset, query)
        elif connection.vendor == "postgresql":
            queryset = _ranked(queryset, searched, words)
        else:
            queryset = queryset.filter(_contains_words(searched.fields, words)).order_by("pk")
        if searched.related:
            # The first results are chosen on the model's own table, in a subquery, and only
            # they are read with their related records: PostgreSQL would otherwise join every
            # row found to its related records before ranking them ("a" finds all 30,000
            # actions: 87 ms, against 30). Still one query.
            queryset = queryset.select_related(*searched.related).filter(
                pk__in=queryset.values("pk")[:LIMIT]
            )
        url = searched.url or (lambda obj: obj.get_absolute_url())
        context = searched.context or (lambda obj: "")
        # Read as the user whoever calls: a result's context names its related records (a
        # benchmark event's benchmark), and one the user may not follow is a placeholder.
        with reading_as(user):
            results = [
                SearchResult(
                    obj, url(obj), highlight(_text(obj, searched.shown), query), context(obj)
                )
                for obj in queryset[:LIMIT]
            ]
        if results:
            groups.append(SearchGroup(label=searched.label, results=results))
    return groups


def _contains_words(fields, words) -> Q:
    """Rows where each word (of three letters or more, or not in Latin letters) is inside one
    of the fields."""
    long = [w for w in words if len(w) >= SUBSTRING_LENGTH or not w.isascii()] or words
    condition = Q()
    for word in long:
        condition &= contains_any(fields, word)
    return condition


def _ranked(queryset, searched, words):
    # A stored document is matched and ranked as it is, instead of a vector computed again
    # for every row found.
    if searched.document:
        vector = F(searched.document)
    else:
        vector = SearchVector(*searched.fields, config="simple")
    # Each word whole or as the start of a word (`word:*`), all of them: the words are letters
    # and digits only (query_words), so they cannot be read as operators.
    search_query = SearchQuery(
        " & ".join(f"{word}:*" for word in words), search_type="raw", config="simple"
    )
    # Substring matching as well: Chinese names have no spaces for the parser to split on.
    # Both conditions match the indexes the searched models declare (core/search.py), so only
    # the rows found are ranked.
    return (
        queryset.alias(document=vector)
        .filter(Q(document=search_query) | _contains_words(searched.fields, words))
        .annotate(rank=SearchRank(vector, search_query))
        .order_by("-rank", "pk")
    )


def _text(obj, shown) -> str:
    value = (shown(obj) if callable(shown) else getattr(obj, shown)) or ""
    value = str(value)
    return value if len(value) <= 240 else value[:240] + "…"


def highlight(text: str, query: str):
    """Mark each query word in the text. Matched on the text as written, then each piece is
    escaped, so a word never lands inside an entity (`&<mark>amp</mark>;`) or a tag."""
    # As typed ("R&D") and as searched ("use-of-force": use, of, force), the longest first.
    typed = set(re.split(r"\s+", query)) | set(query_words(query))
    words = sorted({w for w in typed if len(w) > 1}, key=len, reverse=True)
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
