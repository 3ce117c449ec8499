"""Data entry for organizations, people, delegations and consultations."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core import registry
from core.admin import ScopedInline, SpreadsheetAdmin, TrackedAdmin
from stakeholders.models import (
    Consultation,
    ConsultationRequest,
    Delegation,
    DelegationMember,
    Organization,
    Person,
)
from stakeholders.resources import DelegationMemberResource


class DelegationInline(ScopedInline, admin.TabularInline):
    model = Delegation
    extra = 0
    classes = ["collapse"]  # folded, like the round page's other sections
    fields = ["side", "head", "head_title", "head_rank", "security_marking"]
    autocomplete_fields = ["head"]
    show_change_link = True
    verbose_name_plural = _("delegations (open one to edit its members)")

    def get_queryset(self, request):
        # Each row shows its head: read with the rows rather than once a row.
        return super().get_queryset(request).select_related("head")


# A round's page in the admin lists its delegations.
registry.register_admin_inline("rounds.round", DelegationInline)


@admin.register(Organization)
class OrganizationAdmin(TrackedAdmin):
    list_display = ["name", "acronym", "name_fr", "name_zh", "country", "kind", "parent"]
    list_filter = ["kind", "country"]
    list_select_related = ["parent"]
    search_fields = ["name", "name_fr", "name_zh", "acronym"]
    autocomplete_fields = ["parent"]


@admin.register(Person)
class PersonAdmin(TrackedAdmin):
    list_display = ["full_name", "name_zh", "position", "organization", "country"]
    list_filter = ["country", "security_marking"]
    list_select_related = ["organization"]
    search_fields = ["full_name", "name_zh", "position", "organization__name"]
    autocomplete_fields = ["organization"]


class DelegationMemberInline(ScopedInline, admin.TabularInline):
    model = DelegationMember
    extra = 0
    fields = ["person", "organization", "role", "position_at_time"]
    autocomplete_fields = ["person", "organization"]


@admin.register(Delegation)
class DelegationAdmin(TrackedAdmin):
    list_display = ["__str__", "round", "head", "head_rank"]
    list_filter = ["round__dialogue", "side", "head_rank"]
    list_select_related = ["round__dialogue", "head"]
    search_fields = ["round__dialogue__name", "head__full_name", "head_title"]
    autocomplete_fields = ["round", "head"]
    inlines = [DelegationMemberInline]


@admin.register(DelegationMember)
class DelegationMemberAdmin(SpreadsheetAdmin, TrackedAdmin):
    resource_classes = [DelegationMemberResource]
    list_display = ["__str__", "delegation", "organization", "role"]
    list_filter = ["role", "delegation__side", "delegation__round__dialogue"]
    list_select_related = ["person", "organization", "delegation__round__dialogue"]
    search_fields = ["person__full_name", "organization__name", "position_at_time"]
    autocomplete_fields = ["delegation", "person", "organization"]


class ConsultationRequestInline(ScopedInline, admin.TabularInline):
    model = ConsultationRequest
    extra = 1
    fields = ["order", "text", "answer", "answered_on"]


@admin.register(Consultation)
class ConsultationAdmin(TrackedAdmin):
    list_display = ["__str__", "dialogue", "round", "kind", "format", "location"]
    list_filter = ["dialogue", "kind", "format", "security_marking"]
    list_select_related = ["dialogue", "round__dialogue"]
    search_fields = ["location", "summary", "request_items__text"]
    autocomplete_fields = ["round", "convened_by", "organizations"]
    inlines = [ConsultationRequestInline]
    date_hierarchy = "date"


@admin.register(ConsultationRequest)
class ConsultationRequestAdmin(TrackedAdmin):
    list_display = ["__str__", "consultation", "answered_on"]
    list_filter = ["consultation__dialogue", ("answered_on", admin.EmptyFieldListFilter)]
    list_select_related = ["consultation"]
    search_fields = ["text", "answer"]
    autocomplete_fields = ["consultation"]
