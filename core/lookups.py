"""Picking one record of thousands: a text box with suggestions instead of a select.

At scale a select of every person (20,000) or organization (5,000) weighs megabytes and takes
seconds to build. A lookup field is a text box; as the user types, `static/js/lookup.js` asks
`/lookup/<kind>/?q=` for the first matches the user may see and offers them in a `<datalist>`.
A suggestion ends with the record's number, "Name (#12)", so it names one record; without
script, an exact name works too. A field for several records takes them separated by ";".
"""

import re

import django_filters
from django import forms
from django.db.models import Q
from django.http import JsonResponse
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from core import registry
from core.access import is_unrestricted, require_view, visible
from core.nul import refuse_nul

SEPARATOR = ";"
NUMBERED = re.compile(r"\(#([0-9]+)\)\s*$")
NUMBER = re.compile(r"[0-9]+")
LARGEST_ID = 2**63 - 1  # no record's number is larger (a 64-bit key); SQLite cannot take one
LIMIT = 20


def kinds() -> tuple[str, ...]:
    return tuple(registry.lookups)


def kind_of(model) -> str | None:
    return next((kind for kind, found in registry.lookups.items() if found.model is model), None)


def label(obj) -> str:
    return f"{obj} (#{obj.pk})"


def matching(queryset, declared, text: str):
    """The records that `text` names: by the kind's own rule if it has one (a round's number,
    year and dialogue), else those where every word of `text` is in one of its fields."""
    if declared.matches is not None:
        return declared.matches(queryset, text)
    for typed in text.split():
        match = Q()
        for name in declared.fields:
            match |= Q(**{f"{name}__icontains": typed})
        queryset = queryset.filter(match)
    return queryset


def lookup(request, kind):
    """The first matches the user may see, as labels: `{"results": ["Name (#12)", ...]}`."""
    declared = registry.lookups.get(kind)
    if declared is None:
        return JsonResponse({"error": _("There is no lookup of that kind.")}, status=404)
    require_view(request.user, declared.model)
    text = request.GET.get("q", "").strip()[:100]
    if len(text) < 2 and not NUMBER.fullmatch(text):  # one digit may be a round's number
        return JsonResponse({"results": []})
    found = matching(visible(declared.model, request.user), declared, text)
    if declared.related:
        found = found.select_related(*declared.related)
    if declared.ordering:
        found = found.order_by(*declared.ordering)
    return JsonResponse({"results": [label(obj) for obj in found[:LIMIT]]})


class LookupInput(forms.TextInput):
    template_name = "includes/lookup_input.html"

    def __init__(self, *args, multiple=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.multiple = multiple
        self.model = None  # the field's model, whose kind is looked up as the box is drawn

    def value_from_datadict(self, data, files, name):
        if self.multiple and hasattr(data, "getlist"):
            return SEPARATOR.join(str(value) for value in data.getlist(name))
        return super().value_from_datadict(data, files, name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["multiple"] = self.multiple
        context["widget"]["hint"] = (
            _("Type part of a name and pick a suggestion; separate several with “;”.")
            if self.multiple
            else _("Type part of a name and pick a suggestion.")
        )
        # Looked up now rather than when the field was made: a form may be defined before the
        # domain apps have declared their lookups (core/registry.py).
        kind = kind_of(self.model) if self.model is not None else None
        if kind:
            context["widget"]["attrs"]["data-lookup"] = reverse("lookup", args=[kind])
        return context


def _echoed(text: str) -> str:
    """What a message repeats of the text typed: enough to recognize it, not a whole paste."""
    return Truncator(text).chars(100)


class _Lookup:
    """What the single and the multiple lookup fields share: labels in, records out."""

    def _set_lookup_url(self):
        self.widget.model = self.queryset.model
        self.widget.attrs["autocomplete"] = "off"

    def _find(self, text: str):
        """The one record `text` names, by its number or its exact name."""
        refuse_nul(text)  # before any query: PostgreSQL refuses it with a server error
        numbered = NUMBERED.search(text)
        if numbered or NUMBER.fullmatch(text):
            pk = int(numbered.group(1) if numbered else text)
            found = self.queryset.filter(pk=pk).first()
            if found is None:
                raise forms.ValidationError(
                    _("No record you may see has the number %(number)s."),
                    code="invalid_choice",
                    params={"number": pk},
                )
            return found
        kind = kind_of(self.queryset.model)
        declared = registry.lookups[kind] if kind else None
        if declared is not None and declared.matches is not None:
            return self._find_matching(declared, text)
        exact = []
        if declared is not None:  # by the first field the lookup searches: the record's name
            name_field = declared.fields[0]
            exact = list(self.queryset.filter(**{f"{name_field}__iexact": text})[:2])
        if not exact:
            raise forms.ValidationError(
                _(
                    "Nothing you may see is called “%(name)s”: type part of the name and pick a "
                    "suggestion."
                ),
                code="invalid_choice",
                params={"name": _echoed(text)},
            )
        if len(exact) > 1:
            raise forms.ValidationError(
                _(
                    "More than one record is called “%(name)s”: pick a suggestion, which ends "
                    "with the record's number."
                ),
                code="invalid_choice",
                params={"name": _echoed(text)},
            )
        return exact[0]

    def _find_matching(self, declared, text: str):
        """The one record the kind's own rule finds for `text` (a round typed as "JCHR round 9",
        or its suggestion without the number)."""
        found = list(matching(self.queryset, declared, text)[:2])
        if not found:
            raise forms.ValidationError(
                _("Nothing you may see matches “%(name)s”: type part of it and pick a suggestion."),
                code="invalid_choice",
                params={"name": _echoed(text)},
            )
        if len(found) > 1:
            raise forms.ValidationError(
                _(
                    "More than one record matches “%(name)s”: type more of it, or pick a "
                    "suggestion, which ends with the record's number."
                ),
                code="invalid_choice",
                params={"name": _echoed(text)},
            )
        return found[0]

    def _labels(self, values) -> list:
        """Each value's label, or None for a record the user may not see (its name and number
        are not shown; the form keeps such a record linked: core.forms). One query for all
        the records named by number or given as records; typed text is shown back as typed."""
        keys = [v.pk if hasattr(v, "pk") else v for v in values]
        # Records of a kind everyone may read need no look-up to be named (a form of many rows,
        # each with its topics, would otherwise ask once a row).
        given = {}
        if is_unrestricted(self.queryset.model):
            given = {v.pk: v for v in values if isinstance(v, self.queryset.model)}
        numbered = [
            key
            for key in keys
            if NUMBER.fullmatch(str(key)) and key not in given and int(key) <= LARGEST_ID
        ]
        found = {**given, **(self.queryset.in_bulk(numbered) if numbered else {})}
        labels = []
        for value, key in zip(values, keys, strict=True):
            if not NUMBER.fullmatch(str(key)):
                labels.append(value)
            else:
                record = found.get(key if isinstance(key, int) else int(key))
                labels.append(label(record) if record is not None else None)
        return labels

    def has_changed(self, initial, data):
        return str(self.prepare_value(initial)) != str(data or "").strip()


class LookupField(_Lookup, forms.ModelChoiceField):
    """One record out of many: a text box with suggestions."""

    widget = LookupInput

    def __init__(self, queryset, **kwargs):
        kwargs.pop("widget", None)
        super().__init__(queryset, widget=LookupInput, **kwargs)
        self._set_lookup_url()

    def prepare_value(self, value):
        if value in self.empty_values:
            return ""
        (shown,) = self._labels([value])
        return "" if shown is None else shown

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        return self._find(text)


class LookupMultipleField(_Lookup, forms.ModelMultipleChoiceField):
    """Several records out of many: names separated by ";", each with suggestions."""

    def __init__(self, queryset, **kwargs):
        kwargs.pop("widget", None)
        super().__init__(queryset, widget=LookupInput(multiple=True), **kwargs)
        self._set_lookup_url()

    def prepare_value(self, value):
        if value in self.empty_values:
            return ""
        if isinstance(value, str):
            return value
        labels = self._labels(list(value))
        return f"{SEPARATOR} ".join(str(shown) for shown in labels if shown is not None)

    def clean(self, value):
        if isinstance(value, (list, tuple)):
            value = SEPARATOR.join(str(v) for v in value)
        texts = [part.strip() for part in str(value or "").split(SEPARATOR) if part.strip()]
        if not texts:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return self.queryset.none()
        found, errors = [], []
        for text in texts:
            try:
                found.append(self._find(text).pk)
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return self.queryset.filter(pk__in=found)


class LookupChoiceFilter(django_filters.ModelChoiceFilter):
    """A list's filter on one record out of thousands, as a lookup box (`?agency=12` works
    too, for links and the API)."""

    field_class = LookupField
