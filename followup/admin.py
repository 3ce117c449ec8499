"""Data entry for follow-up projects, actions and benchmarks."""

from django.contrib import admin

from core.admin import ScopedInline, SpreadsheetAdmin, TrackedAdmin
from followup.forms import ClosingProjectForm
from followup.models import Benchmark, BenchmarkEvent, FollowUpAction, FollowUpProject
from followup.resources import FollowUpActionResource


class FollowUpActionInline(ScopedInline, admin.TabularInline):
    model = FollowUpAction
    extra = 0
    fields = ["title", "round", "owner_organization", "due_date", "status", "completed_on"]
    autocomplete_fields = ["round", "owner_organization"]


@admin.register(FollowUpProject)
class FollowUpProjectAdmin(TrackedAdmin):
    list_display = ["title", "lead_agency", "status", "start_date", "end_date", "budget_cad"]
    list_filter = ["status", "proposed_by", "security_marking"]
    list_select_related = ["lead_agency"]
    search_fields = ["title", "title_fr", "reference", "objectives", "results"]
    autocomplete_fields = ["lead_agency", "partner_organizations", "topics", "originating_rounds"]
    date_hierarchy = "start_date"
    inlines = [FollowUpActionInline]
    # Completing or cancelling a project asks what becomes of its open actions, as on its page.
    form = ClosingProjectForm

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self.has_change_permission(request, obj):
            return fields
        return [name for name in fields if name != "open_actions"]  # a question, not a value

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.close()  # after the inline actions are saved, in the admin's transaction


@admin.register(FollowUpAction)
class FollowUpActionAdmin(SpreadsheetAdmin, TrackedAdmin):
    resource_classes = [FollowUpActionResource]
    list_display = ["title", "round", "project", "owner_organization", "due_date", "status"]
    list_filter = ["status", "round__dialogue", "security_marking"]
    list_select_related = ["round__dialogue", "project", "owner_organization"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["round", "project", "owner_organization", "owner_person", "assignee"]
    date_hierarchy = "due_date"


class BenchmarkEventInline(ScopedInline, admin.TabularInline):
    model = BenchmarkEvent
    extra = 0
    fields = ["date", "date_precision", "kind", "direction", "title", "source", "source_url"]


@admin.register(Benchmark)
class BenchmarkAdmin(TrackedAdmin):
    list_display = ["name", "kind", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "name_fr", "name_zh", "description"]
    autocomplete_fields = ["topics"]
    inlines = [BenchmarkEventInline]


@admin.register(BenchmarkEvent)
class BenchmarkEventAdmin(TrackedAdmin):
    list_display = ["title", "benchmark", "date", "kind", "direction"]
    list_filter = ["kind", "direction", "benchmark"]
    list_select_related = ["benchmark"]
    search_fields = ["title", "description", "source"]
    autocomplete_fields = ["benchmark"]
    date_hierarchy = "date"
