"""Filter pieces every FilterSet shares."""

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist
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


class YearFilter(django_filters.NumberFilter):
    """A calendar year: a whole number a date can have (1 to 9999), else a message beside the
    field rather than an error from the date arithmetic."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


class CountFilter(django_filters.NumberFilter):
    """A whole number of times, zero or more."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 1_000_000)
        super().__init__(*args, **kwargs)


def scope_filters(filterset, user) -> None:
    """Limit every filter on related records to the records `user` may see, before its form is
    built: filtering by a hidden record's key is then refused like a key that does not exist,
    so it confirms nothing. A filter that reaches its value through related records (rounds by
    the topics of their agenda items) matches only through those the user may see, so it tells
    nothing of a hidden one either."""
    from core.access import visible

    request = getattr(filterset, "request", None)
    for declared in filterset.filters.values():
        _match_through_visible(declared, filterset.queryset.model, user)
    for name, declared in filterset.filters.items():
        if not isinstance(declared, django_filters.filters.QuerySetRequestMixin):
            continue
        queryset = declared.get_queryset(request)
        if queryset is not None:
            filterset.filters[name].queryset = visible(queryset, user)


def through_visible(model, path: str, user) -> list[Q]:
    """The conditions that make a lookup along `path` from `model` match only through related
    records `user` may see: one for each step to records the user may not all see, that the
    step's record is a visible one. Given in the same `filter()` call as the lookup itself, so
    that both speak of the same related row."""
    from core.access import sees_everything_through, visible

    conditions, prefix = [], []
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            break
        if not field.is_relation:
            break
        prefix.append(part)
        if not sees_everything_through(model, part, user):
            scoped = visible(field.related_model, user).values("pk")
            conditions.append(Q(**{"__".join(prefix) + "__in": scoped}))
        model = field.related_model
    return conditions


def _match_through_visible(declared, model, user) -> None:
    """Make `declared` match along its path only through related records `user` may see."""
    if declared.method is not None or not declared.field_name:
        return
    conditions = through_visible(model, declared.field_name, user)
    if not conditions:
        return
    get_method = declared.get_method

    def matching_through_visible(qs):
        method = get_method(qs)
        return lambda *args, **kwargs: method(*args, *conditions, **kwargs)

    declared.get_method = matching_through_visible
