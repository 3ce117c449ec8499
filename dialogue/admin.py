"""Admin pieces every app shares: who-changed-what bookkeeping and the site's titles."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from dialogue.models import TrackedModel, User

admin.site.site_header = _("Dialogue Tracker")
admin.site.site_title = _("Dialogue Tracker")
admin.site.index_title = _("Data entry")

TRACKING_FIELDS = ("created_at", "created_by", "updated_at", "updated_by")


def _stamp(obj, user, *, is_new: bool):
    if not isinstance(obj, TrackedModel):
        return
    if is_new and obj.created_by_id is None:
        obj.created_by = user
    obj.updated_by = user


class TrackedAdmin(SimpleHistoryAdmin):
    """Stamps created_by/updated_by on the object and its inlines, and shows them read-only."""

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *TRACKING_FIELDS)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.fieldsets:
            return [*fieldsets, (_("Record"), {"fields": TRACKING_FIELDS, "classes": ["collapse"]})]
        return fieldsets

    def save_model(self, request, obj, form, change):
        _stamp(obj, request.user, is_new=not change)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            _stamp(instance, request.user, is_new=instance.pk is None)
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [*DjangoUserAdmin.list_display, "clearance"]
    list_filter = [*DjangoUserAdmin.list_filter, "clearance"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Clearance"), {"fields": ["clearance"]}),
    ]
