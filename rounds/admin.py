"""Data entry for dialogues, rounds and what happens at them."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.utils.translation import gettext_lazy as _

from core import registry
from core.access import visible
from core.admin import ScopedInline, SpreadsheetAdmin, TrackedAdmin
from core.templatetags.dialogue_tags import side_of
from rounds.forms import FILE_FIELDS, MaterialFileInput, describe_file_limits
from rounds.models import (
    AgendaItem,
    CaseOfConcern,
    CaseRaising,
    Commitment,
    Dialogue,
    Material,
    Round,
    SiteVisit,
    Topic,
)
from rounds.resources import AgendaItemResource, CaseOfConcernResource, RoundResource
from rounds.services import case_release_unrecorded
from rounds.views import offer_case_release

# The round's page in the admin is for administrators correcting a record (officers record
# rounds in the product's pages): each section is folded, and each row is a short line that fits
# a 1366-pixel screen, with a link to the row's own page for everything else.
ROUND_SECTION = ["collapse"]


class AgendaItemInline(ScopedInline, admin.TabularInline):
    """A round's agenda, one line an item; its topics, summary and what each side said are on
    the item's own page (the link)."""

    model = AgendaItem
    extra = 0
    classes = ROUND_SECTION
    show_change_link = True
    fields = ["order", "title", "segment", "agenda_status", "security_marking"]


class CommitmentInline(ScopedInline, admin.TabularInline):
    """A round's commitments; the agenda item, the status's date and the evidence are on each
    commitment's own page."""

    model = Commitment
    extra = 0
    classes = ROUND_SECTION
    show_change_link = True
    fields = ["side", "undertaken_by", "text", "due_date", "status", "security_marking"]


class SiteVisitInline(ScopedInline, admin.TabularInline):
    """A round's site visits; their purpose, topics and institutions are on each visit's page."""

    model = SiteVisit
    extra = 0
    classes = ROUND_SECTION
    show_change_link = True
    fields = ["city", "country", "start_date", "end_date", "security_marking"]


class MaterialInline(ScopedInline, admin.TabularInline):
    """A round's materials; their files are uploaded on each material's own page (the link)."""

    model = Material
    extra = 0
    classes = ROUND_SECTION
    show_change_link = True
    fields = [
        "title",
        "provided_by",
        "kind",
        "in_english",
        "in_french",
        "in_chinese",
        "shared_in_advance",
        "security_marking",
    ]


@admin.register(Dialogue)
class DialogueAdmin(TrackedAdmin):
    list_display = [
        "name",
        "acronym",
        "kind",
        "lead_party",
        "partner_party",
        "start_year",
        "status",
    ]
    list_filter = ["kind", "status", "lead_party"]
    search_fields = ["name", "name_fr", "name_zh", "acronym", "acronym_fr", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (
            None,
            {"fields": [("name", "acronym", "slug"), ("name_fr", "acronym_fr"), "name_zh", "kind"]},
        ),
        (_("Parties"), {"fields": [("lead_party", "partner_party"), "other_parties"]}),
        (_("Years"), {"fields": [("start_year", "end_year", "status")]}),
        (_("About"), {"fields": ["description", "source_note"]}),
    ]


@admin.register(Round)
class RoundAdmin(SpreadsheetAdmin, TrackedAdmin):
    resource_classes = [RoundResource]
    list_display = [
        "__str__",
        "dialogue",
        "number",
        "start_date",
        "host_country",
        "cities",
        "status",
        "security_marking",
    ]
    list_display_links = ["__str__"]
    list_filter = ["dialogue", "status", "host_country", "interpretation_mode", "security_marking"]
    list_select_related = ["dialogue"]
    # Shown as the search box and needed for autocomplete; the search itself is the rule of
    # every round search (get_search_results).
    search_fields = ["cities", "summary", "dialogue__name", "dialogue__acronym"]
    search_help_text = _("A number (10, round 10, R10), a year, a dialogue's name or a city.")
    date_hierarchy = "start_date"
    autocomplete_fields = ["dialogue"]
    fieldsets = [
        (None, {"fields": [("dialogue", "number", "status")]}),
        (
            _("When and where"),
            {"fields": [("start_date", "end_date", "date_precision"), ("host_country", "cities")]},
        ),
        (
            _("Conduct"),
            {
                "fields": ["interpretation_mode", "public_statement", "summary", "source_note"],
                "classes": ["collapse"],
            },
        ),
        (_("Security"), {"fields": ["security_marking"]}),
    ]
    inlines = [AgendaItemInline, SiteVisitInline, MaterialInline, CommitmentInline]

    class Media:
        css = {"all": ["css/admin-round.css"]}

    def get_search_results(self, request, queryset, search_term):
        """The list's search and the round boxes of other pages (autocomplete) find rounds as
        every round search does: by number, year and dialogue (Round.objects.matching)."""
        if not search_term.strip():
            return queryset, False
        return queryset.matching(search_term), False

    def get_inlines(self, request, obj):
        """The round's own inlines, with those other apps add (its delegations) before the
        materials (core/registry.py)."""
        agenda, visits, materials, commitments = self.inlines
        delegations = registry.admin_inlines.get("rounds.round", ())
        return [agenda, commitments, visits, *delegations, materials]


@admin.register(Topic)
class TopicAdmin(TrackedAdmin):
    list_display = ["name", "name_fr", "category", "parent", "standing"]
    list_filter = ["category", "standing"]
    list_select_related = ["parent"]
    search_fields = ["name", "name_fr", "name_zh", "aliases", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


def side_column(field: str, description):
    """A list column naming a row's side by its party ("China"; Dialogue.side_name). The list
    reads its rows with `round__dialogue`."""

    @admin.display(description=description, ordering=field)
    def column(self, obj):
        return side_of(obj.round.dialogue, getattr(obj, field)) or "—"

    return column


@admin.register(AgendaItem)
class AgendaItemAdmin(SpreadsheetAdmin, TrackedAdmin):
    resource_classes = [AgendaItemResource]
    list_display = ["title", "round", "segment", "proposed", "agenda_status", "raised"]
    proposed = side_column("proposed_by", _("proposed by"))
    raised = side_column("raised_by", _("raised by"))
    list_filter = [
        "round__dialogue",
        "segment",
        "proposed_by",
        "agenda_status",
        "raised_by",
        "security_marking",
    ]
    list_select_related = ["round__dialogue"]
    search_fields = ["title", "summary", "topics__name"]
    autocomplete_fields = ["round", "topics", "presenting_organizations"]
    date_hierarchy = "round__start_date"


@admin.register(Commitment)
class CommitmentAdmin(TrackedAdmin):
    list_display = ["__str__", "round", "side_name", "due_date", "status"]
    side_name = side_column("side", _("side"))
    list_filter = ["round__dialogue", "side", "status", "security_marking"]
    list_select_related = ["round__dialogue"]
    search_fields = ["text", "undertaken_by", "evidence"]
    autocomplete_fields = ["round", "agenda_item"]
    date_hierarchy = "round__start_date"


@admin.register(SiteVisit)
class SiteVisitAdmin(TrackedAdmin):
    list_display = ["city", "region", "country", "round", "start_date"]
    list_filter = ["round__dialogue", "country", "security_marking"]
    list_select_related = ["round__dialogue"]
    search_fields = ["city", "region", "purpose", "institutions_note"]
    autocomplete_fields = ["round", "topics", "institutions"]
    date_hierarchy = "round__start_date"


class AdminMaterialFileInput(MaterialFileInput, AdminFileWidget):
    pass


class MaterialAdminForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        describe_file_limits(self)


@admin.register(Material)
class MaterialAdmin(TrackedAdmin):
    """A material and its files. A file is checked as in the product's form (the model field's
    validator), and linked to the download view, which checks the reader's clearance."""

    form = MaterialAdminForm
    list_display = [
        "title",
        "round",
        "provided_by",
        "kind",
        "in_english",
        "in_french",
        "in_chinese",
        "shared_in_advance",
    ]
    list_filter = [
        "round__dialogue",
        "provided_by",
        "kind",
        "in_chinese",
        "shared_in_advance",
        "security_marking",
    ]
    list_select_related = ["round__dialogue"]
    search_fields = ["title", "notes"]
    autocomplete_fields = ["round"]
    fieldsets = [
        (None, {"fields": ["round", "title", ("provided_by", "kind")]}),
        (
            _("Languages and files"),
            {
                "fields": [
                    ("in_english", "file_en"),
                    ("in_french", "file_fr"),
                    ("in_chinese", "file_zh"),
                ]
            },
        ),
        (None, {"fields": [("shared_in_advance", "shared_on"), "notes", "security_marking"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in FILE_FIELDS:
            kwargs["widget"] = AdminMaterialFileInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class CaseRaisingInline(ScopedInline, admin.TabularInline):
    model = CaseRaising
    extra = 0
    fields = ["round", "raised_by", "response", "response_date", "response_summary"]
    autocomplete_fields = ["round"]


class CaseOfConcernForm(forms.ModelForm):
    """Warns before saving a probable duplicate: the same person is one case across dialogues."""

    different_person = forms.BooleanField(
        label=_("This is a different person from the similar cases named above"),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("different_person"):
            return cleaned
        candidate = CaseOfConcern(
            pk=self.instance.pk,
            name=cleaned.get("name", ""),
            name_zh=cleaned.get("name_zh", ""),
            aliases=cleaned.get("aliases", ""),
        )
        # Compared only with the cases the user may see: a match above their clearance or
        # role is not hinted at, not even by a count, or the warning would confirm a name.
        user = getattr(self, "user", None)
        seen = visible(CaseOfConcern, user) if user else CaseOfConcern.objects.none()
        duplicates = candidate.probable_duplicates(among=seen)
        if duplicates:
            names = "; ".join(str(case) for case in duplicates)
            raise forms.ValidationError(
                _(
                    "This may be the same person as: %(names)s. The same person raised in "
                    "several dialogues is one case; add the raising to that case instead. If "
                    "this is a different person, tick “%(confirm)s” and save again."
                )
                % {"names": names, "confirm": self.fields["different_person"].label}
            )
        return cleaned


@admin.register(CaseOfConcern)
class CaseOfConcernAdmin(SpreadsheetAdmin, TrackedAdmin):
    resource_classes = [CaseOfConcernResource]
    form = CaseOfConcernForm
    list_display = ["name", "name_zh", "province", "category", "detention_type", "status"]
    list_filter = ["category", "detention_type", "status", "security_marking"]
    search_fields = ["name", "name_zh", "aliases", "province"]
    inlines = [CaseRaisingInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user  # the duplicate warning names only cases the user may see
        return form

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # An answer reporting a release, saved in the raisings below a case still "Detained".
        saved = [
            row
            for formset in formsets
            for row in formset.new_objects + [obj for obj, _changed in formset.changed_objects]
        ]
        if case_release_unrecorded(form.instance, saved):
            offer_case_release(request, form.instance)


@admin.register(CaseRaising)
class CaseRaisingAdmin(TrackedAdmin):
    list_display = ["case", "round", "raised", "response", "response_date"]
    raised = side_column("raised_by", _("raised by"))
    list_filter = ["round__dialogue", "raised_by", "response"]
    list_select_related = ["case", "round__dialogue"]
    search_fields = ["case__name", "case__name_zh", "response_summary"]
    autocomplete_fields = ["case", "round"]
    date_hierarchy = "response_date"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if case_release_unrecorded(obj.case, [obj]):
            offer_case_release(request, obj.case)
