"""Admin pieces every app shares: who-changed-what bookkeeping, scoping and the accounts."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import (
    NotRelationField,
    build_q_object_from_lookup_parameters,
    get_fields_from_path,
    unquote,
)
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm, SelectableFieldsExportForm
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from core import spreadsheets
from core.access import (
    delete_blocked_by_hidden,
    record_access,
    record_privilege_change,
    sees_everything_through,
    visible,
)
from core.accounts import (
    PRIVILEGES,
    change_reason,
    grantable_groups,
    grantable_markings,
    held_permissions,
    may_manage,
    privilege_changes,
    staff_status,
)
from core.filters import through_visible
from core.forms import (
    ShownRowsOnly,
    VersionCheckedForm,
    VersionCheckedRemovals,
    scoped_form_class,
    stale_message,
    stamp,
)
from core.history import visible_history
from core.models import (
    REMOVAL_RACED,
    AccessLogEntry,
    SecurityMarking,
    StaleEdit,
    User,
    VersionedModel,
    named_version,
    remove_as_read,
)
from core.nul import NamesNul
from core.references import RESTRICTED_LABEL, guards_references, shown

TRACKING_FIELDS = ("created_at", "created_by", "updated_at", "updated_by")
HIDDEN_DEPENDENTS = _(
    "Records you are not cleared to see depend on this one, so it cannot be deleted by you. "
    "Ask someone with a higher clearance."
)
# What the "delete selected" action says when one of the records changed since its confirmation.
SELECTED_REMOVAL_RACED = _(
    "Someone else changed one of the selected records since you opened the confirmation, so none "
    "was deleted. Check them as they are now, and delete them again if you still mean to."
)


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


class LimitedImportForm(ImportForm):
    """The import form, refusing a file over IMPORT_MAX_BYTES before it is read."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            spreadsheets.check_size(upload.size)
        except spreadsheets.ImportTooLarge as error:
            raise ValidationError(str(error)) from error
        return upload


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A list filter on a relation offers only the related records the user may see: its
    choices are names like any others. Along a path (an action's round's dialogue) it matches,
    and counts, only through records the user may see, so that it does not tell which dialogue
    a hidden round belongs to. Registered first for every relation, so every admin's
    `list_filter` uses it without naming it."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.through_visible = through_visible(model, field_path, request.user)
        super().__init__(field, request, params, model, model_admin, field_path)

    def queryset(self, request, queryset):
        if not self.through_visible or self.lookup_kwarg not in self.used_parameters:
            return super().queryset(request, queryset)
        try:
            lookup = build_q_object_from_lookup_parameters(self.used_parameters)
            return queryset.filter(lookup, *self.through_visible)
        except (ValueError, ValidationError) as error:  # as Django's: a key of the wrong kind
            raise IncorrectLookupParameters(error) from error

    def get_facet_counts(self, pk_attname, filtered_qs):
        counts = super().get_facet_counts(pk_attname, filtered_qs)
        for key, _name in self.lookup_choices if self.through_visible else ():
            matching = Q(*self.through_visible, **{self.lookup_kwarg: key})
            counts[f"{key}__c"] = Count(pk_attname, filter=matching)
        return counts

    def field_choices(self, field, request, model_admin):
        records = visible(field.related_model, request.user)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            records = records.order_by(*ordering)
        value = field.target_field.attname
        return [(getattr(record, value), str(record)) for record in records]


admin.FieldListFilter.register(
    lambda field: field.remote_field, ScopedRelatedFieldListFilter, take_priority=True
)


class NamedColumnsExportForm(SelectableFieldsExportForm):
    """The export's columns offered by their names in the reader's language (the model field's
    verbose name), each with the spreadsheet's heading beside it: django-import-export offers
    the heading title-cased ("Start Date"), in English whatever the language."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        for resource in resources:
            model, fields = resource._meta.model, resource().fields
            for name, field in fields.items():
                box = self.fields.get(self.create_boolean_field_name(resource, name))
                if box is None:
                    continue
                try:
                    verbose = model._meta.get_field(field.attribute or name).verbose_name
                except FieldDoesNotExist:
                    continue
                box.label = f"{capfirst(verbose)} ({field.column_name})"


class SpreadsheetAdmin(ImportExportMixin):
    """Import (with a dry run that previews every change) and export in CSV and XLSX; imports
    are bounded in size and rows (core/spreadsheets.py)."""

    import_formats = [spreadsheets.LimitedCSV, spreadsheets.LimitedXLSX]
    export_formats = [base_formats.CSV, base_formats.XLSX]
    import_form_class = LimitedImportForm
    export_form_class = NamedColumnsExportForm

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, UnicodeDecodeError):  # a CSV file is decoded as it is read back
            e = spreadsheets.not_utf8(e)
        if isinstance(e, spreadsheets.ImportRefused):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except spreadsheets.ImportRefused as error:  # the limits were lowered since the preview
            messages.error(request, str(error))
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))


class ScopedChoices:
    """The choices of an admin form are scoped like everything else, and a reference to a
    record the user may not see is shown as the placeholder and kept on save."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return _scoped(super().formfield_for_foreignkey(db_field, request, **kwargs), request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return _scoped(super().formfield_for_manytomany(db_field, request, **kwargs), request)


def _scoped(field, request):
    if field is not None and getattr(field, "queryset", None) is not None:
        field.queryset = visible(field.queryset, request.user)
    return field


class RowsOfTheParent(VersionCheckedRemovals, ShownRowsOnly, BaseInlineFormSet):
    """Rows are given the record of the page they are on, rather than each reading it again
    when it is named (a site visit is named with its round)."""

    def get_queryset(self):
        rows = super().get_queryset()
        if self.instance.pk is not None:
            for row in rows:
                setattr(row, self.fk.name, self.instance)
        return rows

    def clean(self):
        super().clean()
        # The admin draws only the rows it finds among the record's: one refused as not among
        # them (ShownRowsOnly) is not drawn, so its refusal is said above the rows.
        for form in self.initial_forms:
            if form.instance.pk is None and form.non_field_errors():
                raise ValidationError(form.non_field_errors())


class ScopedInline(ScopedChoices):
    """Inline rows are scoped to the user's clearance like everything else, and rows of a
    versioned record carry the version they were shown, so that saving the page refuses to
    overwrite a row someone else has changed since (the whole page is then left unsaved)."""

    formset = RowsOfTheParent

    def get_queryset(self, request):
        return visible(super().get_queryset(request), request.user)

    def get_formset(self, request, obj=None, **kwargs):
        if issubclass(self.model, VersionedModel):
            kwargs.setdefault("form", type("VersionChecked", (VersionCheckedForm, self.form), {}))
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = scoped_form_class(formset.form, request.user)
        return formset

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if issubclass(self.model, VersionedModel) and "expected_version" not in fields:
            fields = [*fields, "expected_version"]
        return fields


class ScopedHistoryContext(HistoricalRecordContextHelper):
    """The admin history's changes, with each reference named as the reader may see it: the
    placeholder for a hidden record, and a name rather than a key for any other."""

    def __init__(self, model, historical_record, *, user, **kwargs):
        super().__init__(model, historical_record, **kwargs)
        self.user = user

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        value = super().prepare_delta_change_value(change, value)
        if field.many_to_many:
            return [str(shown(obj)) for obj in value]
        if field.is_relation and value is not None:
            found = visible(field.related_model, self.user).filter(pk=value).first()
            return str(found if found is not None else RESTRICTED_LABEL)
        return value


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """History is evidence: an old version can be read, never saved back. (The setting
    SIMPLE_HISTORY_REVERT_DISABLED only hides the button; the POST is refused here, for every
    admin with history, the accounts' included, so no one restores an old clearance.)"""

    def get_historical_record_context_helper(self, request, historical_record):
        return ScopedHistoryContext(self.model, historical_record, user=request.user)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        if not str(version_id).isdigit():
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


class ScopedChangeList(ChangeList):
    """A date hierarchy through a reference to records the user may not all see (an agenda
    item's round) would list those records' dates, year, month and day: it is offered only to
    those who see them all, as sorting along such a path is (TrackedAdmin.get_sortable_by)."""

    def __init__(
        self,
        request,
        model,
        list_display,
        list_display_links,
        list_filter,
        date_hierarchy,
        *args,
        **kwargs,  # django-import-export's export names every argument
    ):
        if date_hierarchy and not sees_everything_through(model, date_hierarchy, request.user):
            date_hierarchy = None
        super().__init__(
            request,
            model,
            list_display,
            list_display_links,
            list_filter,
            date_hierarchy,
            *args,
            **kwargs,
        )


class TrackedAdmin(ScopedChoices, ReadOnlyHistoryAdmin):
    """Stamps created_by/updated_by on the object and its inlines, and shows them read-only.

    The changelist, change pages and autocomplete only reach records the user may see, opening
    a Protected B record is logged, and versioned records refuse stale saves.
    """

    def get_queryset(self, request):
        return visible(super().get_queryset(request), request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if issubclass(self.model, VersionedModel):
            kwargs.setdefault("form", type("VersionChecked", (VersionCheckedForm, self.form), {}))
        return scoped_form_class(super().get_form(request, obj, change, **kwargs), request.user)

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
        if request.method != "GET" or not str(version_id).isdigit():
            return super().history_form_view(request, object_id, version_id, extra_context)
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

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except StaleEdit:
            # Changed by someone else since the confirmation page was shown: it is shown again,
            # as the record is now, under what they changed.
            messages.error(request, self.removal_refused(request, object_id))
            return HttpResponseRedirect(request.get_full_path())

    def removal_refused(self, request, object_id) -> str:
        """Why a removal was refused: what changed since the version the confirmation showed,
        and who changed it, as the pages' rows say (or, without a version, only that)."""
        expected = named_version(request.POST.get("expected_version"))
        current = self.get_object(request, unquote(object_id))
        if expected is None or current is None:
            return REMOVAL_RACED
        return stale_message(current, expected, user=request.user, removing=True)

    def render_delete_form(self, request, context):
        # The confirmation carries the version it showed, which the removal holds the record to.
        # (templates/admin/delete_confirmation.html).
        record = context.get("object")
        if isinstance(record, VersionedModel):
            context["expected_version"] = record.version
        return super().render_delete_form(request, context)

    def delete_model(self, request, obj):
        expected = request.POST.get("expected_version")
        remove_as_read(obj, expected_version=expected)

    def delete_queryset(self, request, queryset):
        # The "delete selected" action: each versioned record is held to the version its
        # confirmation showed (templates/admin/delete_selected_confirmation.html).
        if not issubclass(self.model, VersionedModel):
            return super().delete_queryset(request, queryset)
        for record in queryset:
            expected = request.POST.get(f"expected_version_{record.pk}")
            remove_as_read(record, expected_version=expected)

    def get_changelist(self, request, **kwargs):
        return ScopedChangeList

    def lookup_allowed(self, lookup, value, request):
        # The date hierarchy's own lookups, for those it is not offered to (ScopedChangeList).
        hierarchy = self.date_hierarchy
        if (
            hierarchy
            and lookup.startswith(hierarchy)
            and not sees_everything_through(self.model, hierarchy, request.user)
        ):
            return False
        # `?head=<key>` would tell which visible rows refer to a hidden record: a key given for
        # a reference must be one of a record the user may see (an unknown key answers 400).
        first, *rest = lookup.split("__")
        try:
            field = self.model._meta.get_field(first)
        except FieldDoesNotExist:
            field = None
        by_key = set(rest) <= {"id", "pk", "exact", "in"}  # not `round__start_date__year`
        if by_key and field and field.is_relation and guards_references(field.related_model):
            keys = [key for key in str(value).split(",") if key.strip().isdigit()]
            seen = visible(field.related_model, request.user).filter(pk__in=keys).count()
            if seen != len(set(keys)):
                return False
        elif not sees_everything_through(self.model, lookup, request.user) and (
            lookup not in self.lookups_through_visible(request)
        ):
            # Any other lookup along a reference to records the user may not all see
            # (`?round__dialogue=1`, `?round__id__gte=5`) would match through hidden records,
            # and tell, row by row, what they are linked to. The list filters' own lookups
            # match only through records the user may see (ScopedRelatedFieldListFilter).
            return False
        return super().lookup_allowed(lookup, value, request)

    def lookups_through_visible(self, request) -> set[str]:
        """The lookups of this list's filters on references (ScopedRelatedFieldListFilter,
        which every `list_filter` entry naming a reference by its path uses)."""
        lookups = set()
        for path in self.get_list_filter(request):
            if not isinstance(path, str):  # a filter class of its own, or a (path, class) pair
                continue
            try:
                field = get_fields_from_path(self.model, path)[-1]
            except (FieldDoesNotExist, NotRelationField):
                continue
            if field.is_relation and not field.many_to_many:
                lookups |= {f"{path}__{field.target_field.name}__exact", f"{path}__isnull"}
        return lookups

    def get_sortable_by(self, request):
        # Sorting by a reference would order the rows by names the user may not see.
        return [
            name
            for name in super().get_sortable_by(request)
            if not isinstance(name, str) or sees_everything_through(self.model, name, request.user)
        ]

    def get_search_fields(self, request):
        # A search through a reference would match on the names of records the user may not
        # see, and so confirm them: such fields are searched only by those who see them all.
        return [
            name
            for name in super().get_search_fields(request)
            if sees_everything_through(self.model, name, request.user)
        ]

    def response_action(self, request, queryset, *args, **kwargs):
        # The selected records' keys come from the page; a key that is no number selects none.
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(key.isdigit() for key in selected):
            messages.error(request, _("The selection was not understood; nothing was done."))
            return None
        try:
            # One record changed since the confirmation removes none (nor logs their removal).
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().response_action(request, queryset, *args, **kwargs)
        except StaleEdit:
            messages.error(request, SELECTED_REMOVAL_RACED)
            return None

    def get_deleted_objects(self, objs, request):
        # The confirmation names only what the user may see; a delete that would take records
        # they may not see with it is refused, without naming or counting them.
        if any(delete_blocked_by_hidden(request.user, obj) for obj in objs):
            return [], {}, set(), [HIDDEN_DEPENDENTS]
        return super().get_deleted_objects(objs, request)

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


class LoggedPasswordChangeForm(NamesNul, AdminPasswordChangeForm):
    """An administrator's reset of someone's password, with the reason kept in history."""

    def save(self, commit=True):
        self.user._change_reason = "password reset"
        self.user._password_reset = True  # UserAdmin.log_change writes it to the access log
        return super().save(commit)


@admin.register(User)
class UserAdmin(ReadOnlyHistoryAdmin, DjangoUserAdmin):
    """Accounts, under the rules of core/accounts.py: no one promotes themselves, and no one
    grants more than they hold; staff status follows the role. Every change of privilege or
    password is in the account's history (with a change reason) and in the access log."""

    list_display = [*DjangoUserAdmin.list_display, "clearance"]
    list_filter = [*DjangoUserAdmin.list_filter, "clearance"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Clearance and language"), {"fields": ["clearance", "language"]}),
    ]
    change_password_form = LoggedPasswordChangeForm

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_manage(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or may_manage(request.user, obj))

    def get_readonly_fields(self, request, obj=None):
        fixed = [*super().get_readonly_fields(request, obj), "is_staff"]  # follows the role
        if obj is not None and obj.pk == request.user.pk:
            fixed += [name for name in PRIVILEGES if name not in fixed]
        elif not request.user.is_superuser:
            fixed.append("is_superuser")
        return fixed

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form = type(form.__name__, (NamesNul, form), {})  # a NUL is named on its field
        if obj is None or request.user.is_superuser:
            return form
        actor = request.user

        class GrantingForm(form):
            # Offer, and accept, only what the actor holds; what the account already has stays.
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                fields = self.fields
                if "clearance" in fields:
                    allowed = grantable_markings(actor)
                    fields["clearance"].choices = [
                        (value, label)
                        for value, label in fields["clearance"].choices
                        if value in allowed
                    ]
                if "groups" in fields:
                    fields["groups"].queryset = Group.objects.filter(
                        Q(pk__in=grantable_groups(actor).values("pk")) | Q(user=obj)
                    ).distinct()
                if "user_permissions" in fields:
                    fields["user_permissions"].queryset = Permission.objects.filter(
                        Q(pk__in=held_permissions(actor).values("pk")) | Q(user=obj)
                    ).distinct()

        return GrantingForm

    def save_model(self, request, obj, form, change):
        changes = privilege_changes(form) if change else []
        staff = staff_status(obj, form)
        if staff != obj.is_staff:
            if change:
                changes.append(f"is_staff {obj.is_staff} → {staff}")
            obj.is_staff = staff
        if changes:
            obj._change_reason = change_reason(changes)
        super().save_model(request, obj, form, change)
        if changes:
            record_privilege_change(request, obj, "; ".join(changes))

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if getattr(obj, "_password_reset", False):
            record_privilege_change(request, obj, "password reset")
        return entry


class RoleAdmin(DjangoGroupAdmin):
    """Roles are defined in code (core/roles.py); only a superuser may change one, since a
    role's permissions reach everyone who holds it, its editor included."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


admin.site.unregister(Group)
admin.site.register(Group, RoleAdmin)


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Read-only: the access log is evidence."""

    list_display = ["at", "username", "content_type", "object_repr", "path"]
    list_filter = ["content_type"]
    list_select_related = ["content_type"]
    search_fields = ["username", "object_repr", "records"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        return visible(super().get_queryset(request), request.user)

    def has_add_permission(self, request):
        return False

    def has_view_permission(self, request, obj=None):
        cleared = SecurityMarking.PROTECTED_B in request.user.visible_markings
        return cleared and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
