"""Filter pieces every FilterSet shares."""

import django_filters
from django.db.models import Q
from django_filters.constants import EMPTY_VALUES


def contains_any(fields, value) -> Q:
    """Rows where any of the fields contains the value, ignoring case."""
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": value})
    return condition


class SearchFilter(django_filters.CharFilter):
    """The `?q=` of a list: a substring of any of the given fields."""

    def __init__(self, *args, fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.search_fields = fields

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        qs = qs.filter(contains_any(self.search_fields, value.strip()))
        return qs.distinct() if self.distinct else qs
