"""Spreadsheet import and export (django-import-export) shared by every app.

A resource imports only what the importing user may see and file: records are matched among
those visible to them, references resolve among those visible to them, and a row marked above
their clearance is refused with the field named. Rows are matched on natural keys, so importing
the same file twice changes nothing; the admin runs a dry run first and commits all rows in one
transaction, or none when any row has an error.
"""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import resources, widgets

from dialogue.access import visible
from dialogue.forms import stamp


class ScopedResource(resources.ModelResource):
    user = None

    class Meta:
        # Unchanged rows are skipped (and reported), so a second import changes nothing; every
        # row is validated by the model's full_clean().
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def before_import(self, dataset, **kwargs):
        self.user = kwargs.get("user")
        for field in self.fields.values():
            if isinstance(field.widget, VisibleForeignKeyWidget):
                field.widget.user = self.user
        super().before_import(dataset, **kwargs)

    def get_instance(self, instance_loader, row):
        # A row's natural key is read before its other fields; a bad one is reported against
        # its column like any other field, not as a crash of the row.
        errors = {}
        for name in self.get_import_id_fields():
            field = self.fields[name]
            try:
                field.clean(row)
            except ValueError as error:
                errors[field.column_name] = ValidationError(str(error))
        if errors:
            raise ValidationError(errors)
        return super().get_instance(instance_loader, row)

    def import_data(self, dataset, dry_run=False, **kwargs):
        # All or nothing: a file with any bad row leaves the database as it was.
        with transaction.atomic():
            result = super().import_data(dataset, dry_run=dry_run, **kwargs)
            if result.has_errors() or result.has_validation_errors():
                transaction.set_rollback(True)
        return result

    def get_queryset(self):
        queryset = super().get_queryset()
        return visible(queryset, self.user) if self.user is not None else queryset.none()

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        marking = getattr(instance, "security_marking", None)
        if marking and self.user is not None and marking not in self.user.visible_markings:
            errors["security_marking"] = ValidationError(
                _("You cannot file a record marked above your own clearance.")
            )
        super().validate_instance(instance, errors, validate_unique)

    def before_save_instance(self, instance, row, **kwargs):
        stamp(instance, self.user, is_new=instance.pk is None)
        super().before_save_instance(instance, row, **kwargs)


class VisibleForeignKeyWidget(widgets.ForeignKeyWidget):
    """A reference by a natural field, resolved among the records the importer may see."""

    user = None  # set by the resource before each import

    def get_queryset(self, value, row, *args, **kwargs):
        user = self.user or kwargs.get("user")
        return visible(self.model, user) if user is not None else self.model.objects.none()

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except ObjectDoesNotExist as error:
            raise ValueError(
                _("No %(kind)s “%(value)s” that you may see.")
                % {"kind": self.model._meta.verbose_name, "value": value}
            ) from error


class RoundWidget(VisibleForeignKeyWidget):
    """A round written as its dialogue's slug and its number: `canada-china-jchr:9`."""

    def __init__(self, **kwargs):
        from rounds.models import Round

        super().__init__(Round, **kwargs)

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        slug, _sep, number = str(value).rpartition(":")
        if not slug or not number.strip().isdigit():
            raise ValueError(
                _(
                    "“%(value)s” is not a round; write the dialogue's slug and the round's number, "
                    "e.g. canada-china-jchr:9."
                )
                % {"value": value}
            )
        found = (
            self.get_queryset(value, row, **kwargs)
            .filter(dialogue__slug=slug.strip(), number=int(number))
            .first()
        )
        if found is None:
            raise ValueError(_("No round “%(value)s” that you may see.") % {"value": value})
        return found

    def render(self, value, obj=None, **kwargs):
        return f"{value.dialogue.slug}:{value.number}" if value else ""
