"""Filters for follow-up projects, actions and benchmarks."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from core.filters import SearchFilter, YearFilter
from core.lookups import LookupChoiceFilter
from followup.models import Benchmark, FollowUpAction, FollowUpProject
from rounds.filtersets import DialogueChoiceFilter, TopicChoiceFilter
from stakeholders.models import Organization


class YesNoWidget(BooleanWidget):
    """A yes-or-no filter read as a person would: "Overdue only: No / Yes" (`?overdue=true`;
    `false` and nothing both mean no)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("No")), ("true", _("Yes"))]


class FollowUpProjectFilterSet(django_filters.FilterSet):
    q = SearchFilter(
        fields=["title", "reference", "objectives", "lead_agency__name"], label=_("Contains")
    )
    status = django_filters.ChoiceFilter(choices=FollowUpProject.Status.choices, label=_("Status"))
    topic = TopicChoiceFilter(field_name="topics")
    dialogue = DialogueChoiceFilter(field_name="originating_rounds__dialogue", distinct=True)
    # Any organization the reader may see, leading or in a project or not: accepting only those
    # with a project would confirm that one leads (or is a partner in) a project hidden from
    # the reader, by accepting its name where another's is refused.
    agency = LookupChoiceFilter(
        field_name="lead_agency", queryset=Organization.objects.all(), label=_("Lead agency")
    )
    partner = LookupChoiceFilter(
        field_name="partner_organizations",
        queryset=Organization.objects.all(),
        distinct=True,
        label=_("Partner organization"),
    )
    year = YearFilter(method="filter_year", label=_("Under way in year"))

    class Meta:
        model = FollowUpProject
        fields = []

    def filter_year(self, queryset, name, value):
        """Projects that had started by the end of that year and had not ended before it."""
        if value is None:
            return queryset
        return queryset.filter(start_date__year__lte=value).exclude(end_date__year__lt=value)


class FollowUpActionFilterSet(django_filters.FilterSet):
    q = SearchFilter(fields=["title", "description"], label=_("Contains"))
    status = django_filters.ChoiceFilter(choices=FollowUpAction.Status.choices, label=_("Status"))
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label=_("Overdue only"), widget=YesNoWidget
    )
    mine = django_filters.BooleanFilter(
        method="filter_mine", label=_("Assigned to me"), widget=YesNoWidget
    )
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
            return queryset.overdue()
        return queryset

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value and user is not None:
            return queryset.filter(assignee=user)
        return queryset


class BenchmarkFilterSet(django_filters.FilterSet):
    q = SearchFilter(fields=["name", "name_fr", "name_zh", "description"], label=_("Contains"))
    kind = django_filters.ChoiceFilter(choices=Benchmark.Kind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=Benchmark.Status.choices, label=_("Status"))
    topic = TopicChoiceFilter(field_name="topics")

    class Meta:
        model = Benchmark
        fields = []
