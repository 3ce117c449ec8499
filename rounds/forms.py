"""Forms for the topic reports (invalid values come back beside the field, never as errors), and
for recording a round: the round, its agenda and what each side said, its commitments, its
materials with their files."""

from django import forms
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core import documents
from core.access import delete_blocked_by_hidden, visible
from core.forms import ScopedForm, ShownRowsOnly, VersionCheckedRemovals, inline_rows
from core.lookups import LookupMultipleField
from core.models import SecurityMarking, Side
from core.nul import NamesNul
from rounds.filtersets import DialogueMultipleChoiceField
from rounds.models import AgendaItem, Commitment, Dialogue, Material, Round, SiteVisit, Topic
from rounds.selectors import DIALOGUE_LABEL_FIELDS

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
        widget=forms.CheckboxSelectMultiple,
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


class CaseReleasedForm(NamesNul, forms.Form):
    """The confirmation that a case whose release was reported is now recorded as released."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class DialogueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class CoverageForm(YearRangeForm):
    """Follow-up coverage's filters: one dialogue (the view chooses the dashboard's when none is
    asked for; the empty choice is every dialogue) and years."""

    dialogue = DialogueChoiceField(
        queryset=Dialogue.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All dialogues"),
        label=_("Dialogue"),
        widget=forms.Select,
    )

    def rounds(self, user):
        """The rounds the report covers, narrowed by the valid values only."""
        rounds = visible(Round, user).select_related("dialogue")
        if dialogue := self.valid_value("dialogue"):
            rounds = rounds.filter(dialogue=dialogue)
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
    """The overlap's filters. The counterparts offered are those some dialogue is held with;
    the empty choice means the one most dialogues share (China, in the reference data)."""

    partner = forms.ChoiceField(required=False, label=_("Counterpart"), widget=forms.Select)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One query: how many dialogues are held with each counterpart.
        self.dialogue_counts = dict(
            Dialogue.objects.exclude(partner_party="")
            .values_list("partner_party")
            .annotate(count=Count("pk"))
            .order_by()
        )
        offered = sorted(self.dialogue_counts, key=lambda code: countries.name(code).casefold())
        self.shared_partner = max(offered, key=self.dialogue_counts.get, default=None)
        if self.shared_partner:
            empty = _("The shared counterpart (%(country)s)") % {
                "country": countries.name(self.shared_partner)
            }
        else:
            empty = _("None recorded")
        self.fields["partner"].choices = [
            ("", empty),
            *((code, countries.name(code)) for code in offered),
        ]

    def counterpart(self) -> str | None:
        """The counterpart chosen, or the one most dialogues share."""
        return self.valid_value("partner") or self.shared_partner

    def dialogues_with(self, partner) -> int:
        return self.dialogue_counts.get(partner, 0)


# -- recording a round in the product (rounds/views.py: round_create, round_edit) ---------------

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = {"rows": 3}


class RoundForm(ScopedForm):
    """The round itself: which dialogue, when, where, how it was held, and its marking."""

    class Meta:
        model = Round
        fields = [
            "dialogue",
            "number",
            "status",
            "start_date",
            "end_date",
            "date_precision",
            "host_country",
            "cities",
            "interpretation_mode",
            "public_statement",
            "summary",
            "source_note",
            "security_marking",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "summary": forms.Textarea(attrs=TEXT),
            "source_note": forms.Textarea(attrs=TEXT),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dialogue = self.fields["dialogue"]
        if hasattr(dialogue, "queryset"):  # not a dialogue hidden from the user (KeptReference)
            # Each choice is named by Dialogue.__str__: its columns are read, not every one.
            dialogue.queryset = dialogue.queryset.only(*DIALOGUE_LABEL_FIELDS)


class RoundRowForm(ScopedForm):
    """A row of a round (an agenda item, a commitment, a material, a site visit), marked at
    least as its round: a row marked lower would carry the round's protected words to readers
    the round is hidden from. A new row starts at the round's marking."""

    # Fields that say which side of the dialogue did something (core.models.Side).
    SIDE_FIELDS = ("proposed_by", "raised_by", "side", "provided_by")

    def __init__(self, *args, parent=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parent is not None:
            # "Canada", "China": the round's dialogue names the sides (Dialogue.side_name).
            for name in self.SIDE_FIELDS:
                if name in self.fields:
                    field = self.fields[name]
                    field.choices = parent.dialogue.side_choices(field.choices)
        self.parent = parent
        if parent is not None and self.instance.pk is None and "security_marking" in self.fields:
            self.fields["security_marking"].initial = parent.security_marking

    def clean(self):
        cleaned = super().clean()
        marking = cleaned.get("security_marking")
        if (
            self.parent is not None
            and marking
            and _rank(marking) < _rank(self.parent.security_marking)
        ):
            self.add_error(
                "security_marking",
                _("Mark it at least as its round is marked: %(marking)s.")
                % {"marking": self.parent.get_security_marking_display()},
            )
        return cleaned


def _rank(marking: str) -> int:
    return SecurityMarking.values.index(marking)


class AgendaItemForm(RoundRowForm):
    """One line of the agenda: its wording, topics, who raised it, what each side said."""

    new_topic = forms.CharField(
        label=_("New topic"),
        max_length=200,
        required=False,
        help_text=_("If no topic fits, name a new one: it is created when you save."),
    )

    class Meta:
        model = AgendaItem
        fields = [
            "order",
            "title",
            "segment",
            "agenda_status",
            "topics",
            "proposed_by",
            "raised_by",
            "our_points",
            "partner_answer",
            "summary",
            "security_marking",
        ]
        field_classes = {"topics": LookupMultipleField}
        widgets = {
            "our_points": forms.Textarea(attrs=TEXT),
            "partner_answer": forms.Textarea(attrs=TEXT),
            "summary": forms.Textarea(attrs=TEXT),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.user.has_perm("rounds.add_topic"):
            del self.fields["new_topic"]
        if self.parent is not None:
            names = {
                "lead": self.parent.dialogue.side_name(Side.LEAD),
                "partner": self.parent.dialogue.side_name(Side.PARTNER),
            }
            ours, answer = self.fields["our_points"], self.fields["partner_answer"]
            ours.label = _("What %(lead)s raised") % names
            ours.help_text = _("The points %(lead)s made on this item.") % names
            answer.label = _("How %(partner)s answered") % names
            answer.help_text = _("In %(partner)s's own terms where recorded.") % names

    def clean_new_topic(self):
        name = " ".join(self.cleaned_data.get("new_topic", "").split())
        if name and not any(character.isalnum() for character in name):
            raise forms.ValidationError(_("A topic's name needs at least one letter or digit."))
        return name

    def save(self, commit=True):
        item = super().save(commit)
        name = self.cleaned_data.get("new_topic")
        if commit and name:
            item.topics.add(topic_named(name, user=self.user))
        return item


def topic_named(name: str, *, user) -> Topic:
    """The topic called `name` (in any case), made now if there is none."""
    found = Topic.objects.filter(name__iexact=name).first()
    if found is not None:
        return found
    base = slugify(name)[:70] or "topic"
    n = 1
    while True:
        slug = base if n == 1 else f"{base}-{n}"
        if not Topic.objects.filter(slug=slug).exists():
            try:
                with transaction.atomic():
                    return Topic.objects.create(
                        name=name, slug=slug, created_by=user, updated_by=user
                    )
            except IntegrityError:
                # Another officer saved a topic of this name, or took this slug, meanwhile.
                found = Topic.objects.filter(name__iexact=name).first()
                if found is not None:
                    return found
                if not Topic.objects.filter(slug=slug).exists():
                    raise  # neither the name nor the slug: not a race this can settle
        n += 1


class CommitmentForm(RoundRowForm):
    """Who undertook what at the round, by when, and what became of it."""

    class Meta:
        model = Commitment
        fields = [
            "side",
            "undertaken_by",
            "agenda_item",
            "text",
            "due_date",
            "status",
            "status_changed_on",
            "evidence",
            "security_marking",
        ]
        widgets = {
            "due_date": DATE,
            "status_changed_on": DATE,
            "text": forms.Textarea(attrs=TEXT),
            "evidence": forms.Textarea(attrs=TEXT),
        }

    def __init__(self, *args, agenda_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        items = self.fields["agenda_item"]
        if not hasattr(items, "queryset"):
            return  # an item hidden from the user (KeptReference): kept as it is, not offered
        items.queryset = items.queryset.filter(round=self.parent).order_by("order", "pk")
        if agenda_choices is not None:
            items.widget.choices = agenda_choices  # the round's items, listed once for all rows


class RecordingFormSet(VersionCheckedRemovals, ShownRowsOnly, forms.BaseInlineFormSet):
    """A round's rows of one kind, limited to those the user may see; rows above the user's
    clearance are neither shown nor touched by a save, and a row someone else changed since
    the page was opened is not removed (VersionCheckedRemovals)."""

    def __init__(self, *args, user, one_row=False, **kwargs):
        self.user = user
        # A row opened on its own page (rounds.views.round_edit_row): its form alone, no new row.
        self.one_row = one_row
        if one_row:
            self.extra = 0
        kwargs.setdefault("queryset", visible(self.model, user))
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "user": self.user}

    def clean(self):
        super().clean()
        if any(
            self._should_delete_form(form)
            and form.instance.pk is not None
            and delete_blocked_by_hidden(self.user, form.instance)
            for form in self.initial_forms
        ):
            # Removing it would delete, or set to nothing a reference of, a record the user may
            # not see (a commitment under an agenda item): refused as the API and the admin do,
            # without saying which.
            raise forms.ValidationError(
                _(
                    "Records you cannot see depend on this one, so it cannot be deleted; ask "
                    "someone cleared to see them."
                )
            )
        if (
            self.one_row
            and self.management_form.is_valid()
            and (self.initial_form_count(), self.total_form_count()) != (1, 1)
        ):
            # What a script posts to a row's address: a new row, or rows besides its own.
            raise forms.ValidationError(
                _(
                    "This page saves the one record it opened, and what it received was not "
                    "that record alone, so nothing was saved. Reload the page and make your "
                    "changes again."
                )
            )


class RoundRowsFormSet(RecordingFormSet):
    """A round's own rows (RoundRowForm), each given the round for its marking."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "parent": self.instance}


class CommitmentFormSet(RoundRowsFormSet):
    @cached_property
    def agenda_choices(self):
        items = visible(AgendaItem, self.user).filter(round=self.instance).order_by("order", "pk")
        return [("", "---------"), *((item.pk, str(item)) for item in items)]

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "agenda_choices": self.agenda_choices}


class SiteVisitForm(RoundRowForm):
    """A place the delegation visited during the round, what for, and what it saw."""

    class Meta:
        model = SiteVisit
        fields = [
            "city",
            "region",
            "country",
            "start_date",
            "end_date",
            "purpose",
            "topics",
            "institutions",
            "institutions_note",
            "security_marking",
        ]
        field_classes = {"topics": LookupMultipleField, "institutions": LookupMultipleField}
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "purpose": forms.Textarea(attrs=TEXT),
            "institutions_note": forms.Textarea(attrs=TEXT),
        }


AgendaFormSet = inline_rows(
    Round, AgendaItem, form=AgendaItemForm, formset=RoundRowsFormSet, extra=1, can_delete=True
)
CommitmentsFormSet = inline_rows(
    Round,
    Commitment,
    form=CommitmentForm,
    formset=CommitmentFormSet,
    extra=1,
    can_delete=True,
)


# -- materials and their files ------------------------------------------------------------------

FILE_FIELDS = {file_field: code for code, (_flag, file_field, _label) in Material.LANGUAGES.items()}


class DownloadLink:
    """A stored file as a file input shows it: named as it downloads, linked to the view that
    checks the reader's clearance (never to the store itself)."""

    def __init__(self, stored):
        language = FILE_FIELDS[stored.field.name]
        self.url = stored.instance.file_url(language)
        self.name = stored.instance.download_name(language)

    def __str__(self):
        return self.name


class MaterialFileInput(forms.ClearableFileInput):
    """A material's file: the current one linked to its download, the kinds accepted offered."""

    def __init__(self, attrs=None):
        super().__init__({"accept": documents.accepted_extensions(), **(attrs or {})})

    def is_initial(self, value):
        # Without asking the store for an address, which a private store has none of.
        instance = getattr(value, "instance", None)
        return bool(value and getattr(value, "name", "") and instance is not None and instance.pk)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            context["widget"]["value"] = DownloadLink(value)
        return context


def describe_file_limits(form) -> None:
    """Say beside each file field which kinds and sizes are accepted."""
    for name in FILE_FIELDS:
        if name in form.fields:
            form.fields[name].help_text = documents.limits_text()


class MaterialForm(RoundRowForm):
    """A round's material and its file in each language. The form's instance belongs to the
    round (`Material(round=...)` for a new one); a language with a file is marked as one the
    material exists in (Material.mark_languages_with_files), and a file is checked for its kind,
    contents and size (core/documents.py) with the message beside its field."""

    class Meta:
        model = Material
        fields = [
            "title",
            "provided_by",
            "kind",
            "in_english",
            "file_en",
            "in_french",
            "file_fr",
            "in_chinese",
            "file_zh",
            "shared_in_advance",
            "shared_on",
            "notes",
            "security_marking",
        ]
        widgets = {
            "shared_on": DATE,
            **dict.fromkeys(FILE_FIELDS, MaterialFileInput),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        describe_file_limits(self)


MaterialsFormSet = inline_rows(
    Round, Material, form=MaterialForm, formset=RoundRowsFormSet, extra=1, can_delete=True
)
VisitsFormSet = inline_rows(
    Round, SiteVisit, form=SiteVisitForm, formset=RoundRowsFormSet, extra=1, can_delete=True
)
