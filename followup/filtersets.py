"""Filters for follow-up projects, actions and benchmarks."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogue.filters import SearchFilter
from followup.models import Benchmark, FollowUpAction, FollowUpProject
from rounds.filtersets import DialogueChoiceFilter

OPEN_STATUSES = [FollowUpAction.Status.OPEN, FollowUpAction.Status.IN_PROGRESS]


class FollowUpProjectFilterSet(django_filters.FilterSet):
    q = SearchFilter(
        fields=["title", "reference", "objectives", "lead_agency__name"], label=_("Contains")
    )
    status = django_filters.ChoiceFilter(choices=FollowUpProject.Status.choices, label=_("Status"))
    topic = django_filters.CharFilter(
        field_name="topics__slug", distinct=True, label=_("Topic (slug)")
    )
    dialogue = DialogueChoiceFilter(field_name="originating_rounds__dialogue", distinct=True)
    year = django_filters.NumberFilter(
        field_name="start_date", lookup_expr="year", label=_("Start year")
    )

    class Meta:
        model = FollowUpProject
        fields = []


class FollowUpActionFilterSet(django_filters.FilterSet):
    q = SearchFilter(fields=["title", "description"], label=_("Contains"))
    status = django_filters.ChoiceFilter(choices=FollowUpAction.Status.choices, label=_("Status"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue only"))
    dialogue = DialogueChoiceFilter(field_name="round__dialogue")
    due_from = django_filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label=_("Due from (YYYY-MM-DD)")
    )
    due_to = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label=_("Due until (YYYY-MM-DD)")
    )

    class Meta:
        model = FollowUpAction
        fields = []

    def filter_overdue(self, queryset, name, value):
        if value:
            return queryset.filter(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())
        return queryset


class BenchmarkFilterSet(django_filters.FilterSet):
    q = SearchFilter(fields=["name", "name_fr", "name_zh", "description"], label=_("Contains"))
    kind = django_filters.ChoiceFilter(choices=Benchmark.Kind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=Benchmark.Status.choices, label=_("Status"))
    topic = django_filters.CharFilter(
        field_name="topics__slug", distinct=True, label=_("Topic (slug)")
    )

    class Meta:
        model = Benchmark
        fields = []
