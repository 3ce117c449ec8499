"""Filters for organizations, people and consultations."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.filters import SearchFilter, YearFilter
from rounds.filtersets import DialogueChoiceFilter
from stakeholders.models import Consultation, Organization, Person


class OrganizationFilterSet(django_filters.FilterSet):
    q = SearchFilter(
        fields=["name", "name_fr", "name_zh", "acronym", "acronym_fr"], label=_("Name or acronym")
    )
    country = django_filters.ChoiceFilter(
        choices=lambda: list(countries), label=_("Country"), widget=forms.Select
    )
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices, label=_("Kind"))

    class Meta:
        model = Organization
        fields = []


class PersonFilterSet(django_filters.FilterSet):
    q = SearchFilter(
        fields=["full_name", "name_zh", "position", "organization__name"],
        label=_("Name or position"),
    )
    country = django_filters.ChoiceFilter(
        choices=lambda: list(countries), label=_("Country"), widget=forms.Select
    )

    class Meta:
        model = Person
        fields = []


class ConsultationFilterSet(django_filters.FilterSet):
    q = SearchFilter(
        fields=["location", "summary", "request_items__text"], distinct=True, label=_("Contains")
    )
    dialogue = DialogueChoiceFilter()
    kind = django_filters.ChoiceFilter(choices=Consultation.Kind.choices, label=_("Kind"))
    # Not `?format=`: that asks a list for its CSV or XLSX export, and the API for a renderer.
    consultation_format = django_filters.ChoiceFilter(
        field_name="format", choices=Consultation.Format.choices, label=_("Format")
    )
    year_from = YearFilter(field_name="date", lookup_expr="year__gte", label=_("From year"))
    year_to = YearFilter(field_name="date", lookup_expr="year__lte", label=_("To year"))

    class Meta:
        model = Consultation
        fields = []
