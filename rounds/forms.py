"""Forms for the topic reports; invalid values come back beside the field, never as errors."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core import widgets
from core.access import visible
from rounds.filtersets import DialogueMultipleChoiceField
from rounds.models import Dialogue, Round, Topic

YEAR = {"min_value": 1900, "max_value": 2100}


class YearRangeForm(forms.Form):
    year_from = forms.IntegerField(label=_("From year"), required=False, **YEAR)
    year_to = forms.IntegerField(label=_("To year"), required=False, **YEAR)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("year_from"), cleaned.get("year_to")
        if start and end and end < start:
            self.add_error("year_to", _("The last year cannot be before the first year."))
        return cleaned

    def valid_value(self, name):
        """The field's value if it passed validation, else None: the report still renders."""
        if not self.is_bound:
            return None
        self.is_valid()
        return None if name in self.errors else self.cleaned_data.get(name)


class DialogueReportForm(YearRangeForm):
    """The filters of the reports that go round by round: dialogues and years."""

    dialogue = DialogueMultipleChoiceField(
        queryset=Dialogue.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        label=_("Dialogues"),
        widget=widgets.CheckboxSelectMultiple,
    )

    def rounds(self, user):
        """The rounds the report covers, narrowed by the valid values only."""
        rounds = visible(Round, user).select_related("dialogue")
        if dialogues := self.valid_value("dialogue"):
            rounds = rounds.filter(dialogue__in=dialogues)
        if year_from := self.valid_value("year_from"):
            rounds = rounds.filter(start_date__year__gte=year_from)
        if year_to := self.valid_value("year_to"):
            rounds = rounds.filter(start_date__year__lte=year_to)
        return rounds


class ContinuityForm(DialogueReportForm):
    SORTS = [("first", _("First year")), ("frequency", _("Frequency")), ("name", _("Name"))]

    category = forms.ChoiceField(
        choices=[("", _("Any")), *Topic.Category.choices], required=False, label=_("Category")
    )
    min_count = forms.IntegerField(
        min_value=1, max_value=1000, required=False, label=_("Raised at least (rounds)")
    )
    sort = forms.ChoiceField(choices=SORTS, required=False, label=_("Sort by"))


class OverlapForm(YearRangeForm):
    partner = forms.ChoiceField(
        choices=lambda: list(countries),
        required=False,
        initial="CN",
        label=_("Counterpart"),
        widget=widgets.Select,
    )
