"""Query expressions the lists share.

A list's counts are correlated subqueries rather than joins with GROUP BY: the database then
sorts and cuts the page first and counts for its 25 rows only, instead of grouping the whole
table (at scale, 30,000 raisings for a page of cases).
"""

from django.db.models import F, IntegerField, Subquery
from django.db.models.functions import Cast, Coalesce, ExtractYear


class _Over(Subquery):
    """An aggregate over the rows of a correlated queryset, whose model's default ordering is
    dropped: it would change a distinct count and cost a sort for every outer row."""

    function = None

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset.order_by(), **kwargs)
        self.template = f"(SELECT {self.function} FROM (%(subquery)s) AS over_rows)"


class _Count(_Over):
    function = "COUNT(*)"
    output_field = IntegerField()


class _Min(_Over):
    function = "MIN(value)"


class _Max(_Over):
    function = "MAX(value)"


def count(queryset):
    """How many rows a correlated queryset has (give it `.values(...).distinct()` to count
    distinct values)."""
    return Coalesce(_Count(queryset), 0)


def smallest(queryset, field, output_field):
    """The smallest value of `field` in a correlated queryset, or None."""
    return _Min(queryset.values(value=F(field)), output_field=output_field)


def largest(queryset, field, output_field):
    """The largest value of `field` in a correlated queryset, or None."""
    return _Max(queryset.values(value=F(field)), output_field=output_field)


def year_number(field):
    """The year of a date field as an integer. PostgreSQL's EXTRACT answers a numeric, which
    the driver makes a Decimal and Django then an int, row by row: over thousands of grouped
    rows that cost more than the query."""
    return Cast(ExtractYear(field), IntegerField())
