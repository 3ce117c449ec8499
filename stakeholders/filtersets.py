"""Filters for organizations, people and consultations."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from rounds.filtersets import DialogueChoiceFilter
from stakeholders.models import Consultation, Organization, Person


class OrganizationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or acronym"))
    country = django_filters.ChoiceFilter(choices=lambda: list(countries), label=_("Country"))
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices, label=_("Kind"))

    class Meta:
        model = Organization
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(name_fr__icontains=value)
            | Q(name_zh__icontains=value)
            | Q(acronym__icontains=value)
        )


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or position"))
    country = django_filters.ChoiceFilter(choices=lambda: list(countries), label=_("Country"))

    class Meta:
        model = Person
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(full_name__icontains=value)
            | Q(name_zh__icontains=value)
            | Q(position__icontains=value)
            | Q(organization__name__icontains=value)
        )


class ConsultationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Contains"))
    dialogue = DialogueChoiceFilter()
    kind = django_filters.ChoiceFilter(choices=Consultation.Kind.choices, label=_("Kind"))
    format = django_filters.ChoiceFilter(choices=Consultation.Format.choices, label=_("Format"))
    year_from = django_filters.NumberFilter(
        field_name="date", lookup_expr="year__gte", label=_("From year")
    )
    year_to = django_filters.NumberFilter(
        field_name="date", lookup_expr="year__lte", label=_("To year")
    )

    class Meta:
        model = Consultation
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(location__icontains=value)
            | Q(summary__icontains=value)
            | Q(requests__icontains=value)
        )
