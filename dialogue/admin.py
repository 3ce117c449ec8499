"""Admin pieces every app shares: who-changed-what bookkeeping and the site's titles."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from simple_history.admin import SimpleHistoryAdmin

from dialogue.access import record_access, visible
from dialogue.forms import VersionCheckedForm, stamp
from dialogue.history import visible_history
from dialogue.models import (
    AccessLogEntry,
    SecurityMarking,
    StaleEdit,
    User,
    VersionedModel,
)

admin.site.site_header = _("Dialogue Tracker")
admin.site.site_title = _("Dialogue Tracker")
admin.site.index_title = _("Data entry")

TRACKING_FIELDS = ("created_at", "created_by", "updated_at", "updated_by")


# Names in several languages are edited on one line, English first.
SIDE_BY_SIDE = [("name", "name_fr", "name_zh"), ("acronym", "acronym_fr")]


def side_by_side(fields: list) -> list:
    """The admin's field list with each group of translations on one row."""
    rows = list(fields)
    for group in SIDE_BY_SIDE:
        if all(name in rows for name in group):
            at = rows.index(group[0])
            rows = [name for name in rows if name not in group]
            rows.insert(at, group)
    return rows


class SpreadsheetAdmin(ImportExportMixin):
    """Import (with a dry run that previews every change) and export in CSV and XLSX."""

    import_formats = [base_formats.CSV, base_formats.XLSX]
    export_formats = [base_formats.CSV, base_formats.XLSX]


class ScopedInline:
    """Inline rows are scoped to the user's clearance like everything else."""

    def get_queryset(self, request):
        return visible(super().get_queryset(request), request.user)


class TrackedAdmin(SimpleHistoryAdmin):
    """Stamps created_by/updated_by on the object and its inlines, and shows them read-only.

    The changelist, change pages and autocomplete only reach records the user may see, opening
    a Protected B record is logged, and versioned records refuse stale saves.
    """

    def get_queryset(self, request):
        return visible(super().get_queryset(request), request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if issubclass(self.model, VersionedModel):
            kwargs.setdefault("form", type("VersionChecked", (VersionCheckedForm, self.form), {}))
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if issubclass(self.model, VersionedModel) and not self.fieldsets:
            fields = [f for f in fields if f != "expected_version"] + ["expected_version"]
        if self.fields is None:
            fields = side_by_side(fields)
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.fieldsets:
            extra = ["expected_version"] if issubclass(self.model, VersionedModel) else []
            return [
                *fieldsets,
                (_("Record"), {"fields": [*TRACKING_FIELDS, *extra], "classes": ["collapse"]}),
            ]
        return fieldsets

    def _require_visible(self, request, object_id):
        # simple-history falls back to the history table for an object get_queryset does not
        # return; a record the user may not see must not show through its history either.
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._require_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # Only the versions the user could see at their own marking; simple-history diffs
        # each listed version against the next one listed, so a hidden one shows nowhere.
        versions = super().get_history_queryset(request, history_manager, pk_name, object_id)
        return visible_history(versions, request.user)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_visible(request, object_id)
        # SIMPLE_HISTORY_REVERT_DISABLED only hides the button; refuse the POST as well.
        if request.method != "GET":
            raise PermissionDenied
        versions = self.model.history.filter(**{self.model._meta.pk.attname: object_id})
        if not list(visible_history(versions.filter(history_id=version_id), request.user)):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and request.method == "GET":
            record_access(request, obj)
        try:
            return super().change_view(request, object_id, form_url, extra_context)
        except StaleEdit:
            # Lost the race after the form's own check: say so rather than fail.
            messages.error(
                request,
                _(
                    "Someone else saved this record at the same moment; "
                    "your changes were not saved. Please try again."
                ),
            )
            return HttpResponseRedirect(request.path)

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *TRACKING_FIELDS)

    def save_model(self, request, obj, form, change):
        stamp(obj, request.user, is_new=not change)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            stamp(instance, request.user, is_new=instance.pk is None)
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = [*DjangoUserAdmin.list_display, "clearance"]
    list_filter = [*DjangoUserAdmin.list_filter, "clearance"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Clearance and language"), {"fields": ["clearance", "language"]}),
    ]


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Read-only: the access log is evidence."""

    list_display = ["at", "username", "content_type", "object_repr", "path"]
    list_filter = ["content_type"]
    list_select_related = ["content_type"]
    search_fields = ["username", "object_repr", "records"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_view_permission(self, request, obj=None):
        cleared = SecurityMarking.PROTECTED_B in request.user.visible_markings
        return cleared and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
