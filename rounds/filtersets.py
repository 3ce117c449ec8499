"""Filters for browsing rounds and topics, shared by the lists, their CSV and the reports."""

from collections import defaultdict

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core import reading
from core.access import visible
from core.filters import CountFilter, SearchFilter, YearFilter
from core.lookups import LookupChoiceFilter, LookupField
from core.models import SecurityMarking
from rounds.models import CaseOfConcern, Dialogue, Round, Topic


class MarkedSelect(forms.Select):
    """A select whose options are read from marked records: drawn, it marks the page as they
    are (core.reading); a list's results, export or API answer, which do not draw it, are not."""

    def __init__(self, *args, markings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.markings = tuple(markings)

    def get_context(self, name, value, attrs):
        for marking in self.markings:
            reading.note(None, None, marking)
        return super().get_context(name, value, attrs)


class DialogueMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


@extend_schema_field(OpenApiTypes.STR)  # the API documents it as the dialogues' slugs
class DialogueChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Dialogues by slug (`?dialogue=canada-china-jchr`, repeatable), shown as checkboxes."""

    field_class = DialogueMultipleChoiceField

    def __init__(self, *args, field_name="dialogue", **kwargs):
        # Compare on the slug itself: the predicate is built from the chosen objects' slugs.
        kwargs["field_name"] = f"{field_name}__slug"
        # The columns a checkbox's value and label read (DialogueMultipleChoiceField), not all.
        kwargs.setdefault("queryset", Dialogue.objects.only("slug", "name", "name_fr"))
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("label", _("Dialogue"))
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)


class TopicLookupField(LookupField):
    """A topic typed or picked in a lookup box, or given by its slug (`?topic=torture`, as the
    reports' links write it)."""

    def _find(self, text: str):
        found = self.queryset.filter(slug=text).first()
        if found is None:  # the name typed whole, in English or in French
            named = list(self.queryset.filter(Q(name__iexact=text) | Q(name_fr__iexact=text))[:2])
            found = named[0] if len(named) == 1 else None
        return found if found is not None else super()._find(text)


@extend_schema_field(OpenApiTypes.STR)  # the API documents it as the topic's slug
class TopicChoiceFilter(LookupChoiceFilter):
    """A topic, in a lookup box: a select of every topic (hundreds) weighed more than the rest
    of a list page together."""

    field_class = TopicLookupField

    def __init__(self, *args, field_name="topics", **kwargs):
        kwargs["field_name"] = field_name
        kwargs.setdefault("queryset", Topic.objects.all())
        kwargs.setdefault("distinct", True)
        kwargs.setdefault("label", _("Topic"))
        super().__init__(*args, **kwargs)


class RoundFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label=_("Contains"),
        help_text=_("A number (10, round 10, R10), a year, a dialogue's name or a city."),
    )
    dialogue = DialogueChoiceFilter()
    year_from = YearFilter(field_name="start_date", lookup_expr="year__gte", label=_("From year"))
    year_to = YearFilter(field_name="start_date", lookup_expr="year__lte", label=_("To year"))
    status = django_filters.ChoiceFilter(choices=Round.Status.choices, label=_("Status"))
    host_country = django_filters.ChoiceFilter(
        choices=lambda: list(countries), label=_("Host country"), widget=forms.Select
    )
    topic = TopicChoiceFilter(field_name="agenda_items__topics")

    class Meta:
        model = Round
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            choices, markings = self._host_countries(user)
            host_country = self.filters["host_country"]
            host_country.extra["choices"] = choices
            host_country.extra["widget"] = MarkedSelect(markings=markings)

    def _host_countries(self, user) -> tuple[list, set]:
        """The countries that hosted a round the user may see, not all 250, in django-countries'
        order for the reader's language: the one asked for stays a choice, so that it finds
        nothing rather than being refused. With the markings the list is known from: each
        country's lowest-marked round that hosted it (one Protected B round alone may say that
        a round was held in Norway)."""
        hosted = defaultdict(list)  # country -> the markings of the rounds it hosted
        for code, marking in (
            visible(Round, user)
            .exclude(host_country="")
            .order_by()
            .values_list("host_country", "security_marking")
            .distinct()
        ):
            hosted[code].append(marking)
        rank = SecurityMarking.values.index
        lowest = {code: min(marks, key=rank) for code, marks in hosted.items()}
        codes = set(lowest)
        field = f"{self.form_prefix}-host_country" if self.form_prefix else "host_country"
        asked = self.data.get(field)
        if asked in countries:
            codes.add(asked)
        choices = [(country.code, country.name) for country in countries if country.code in codes]
        return choices, set(lowest.values())

    def search(self, queryset, name, value):
        """The rule of every round search (Round.objects.matching)."""
        return queryset.matching(value)


class TopicFilterSet(django_filters.FilterSet):
    q = SearchFilter(fields=["name", "name_fr", "name_zh", "aliases"], label=_("Name or alias"))
    category = django_filters.ChoiceFilter(choices=Topic.Category.choices, label=_("Category"))
    dialogue = DialogueChoiceFilter(field_name="agenda_items__round__dialogue", distinct=True)

    class Meta:
        model = Topic
        fields = []


class CaseFilterSet(django_filters.FilterSet):
    q = SearchFilter(fields=["name", "name_zh", "aliases", "summary"], label=_("Name or alias"))
    category = django_filters.ChoiceFilter(
        choices=CaseOfConcern.Category.choices, label=_("Category")
    )
    detention_type = django_filters.ChoiceFilter(
        choices=CaseOfConcern.Detention.choices, label=_("Detention")
    )
    status = django_filters.ChoiceFilter(choices=CaseOfConcern.Status.choices, label=_("Status"))
    province = django_filters.CharFilter(lookup_expr="icontains", label=_("Province or region"))
    dialogue = DialogueChoiceFilter(field_name="raisings__round__dialogue", distinct=True)
    raised_at_least = CountFilter(
        field_name="raising_count", lookup_expr="gte", label=_("Raised at least (rounds)")
    )

    class Meta:
        model = CaseOfConcern
        fields = []
