"""Spreadsheet import and export (django-import-export) shared by every app.

A resource imports only what the importing user may see and file: records are matched among
those visible to them, references resolve among those visible to them, and a row marked above
their clearance is refused with the field named. Rows are matched on natural keys, so importing
the same file twice changes nothing; the admin runs a dry run first and commits all rows in one
transaction, or none when any row has an error.

The records a file names (rounds, topics, organizations, and the records its rows would update)
are read once for the whole file before the rows are imported, not once a row: the queries of an
import grow only by the row's own writes.
"""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from import_export import instance_loaders, resources, widgets

from dialogue.access import visible
from dialogue.forms import stamp


class NaturalKeyInstanceLoader(instance_loaders.BaseInstanceLoader):
    """The records the file's rows would update, read in one query by their natural keys (the
    resource's import_id_fields), among those the importer may see."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.fields = [resource.fields[name] for name in resource.get_import_id_fields()]
        self.found = {}
        keys = set()
        for row in dataset.dict if dataset is not None else []:
            try:
                keys.add(self.row_key(row))
            except (ValueError, ValidationError):
                continue  # reported against the row when it is imported
        if not keys:
            return
        lookup = {}
        for index, field in enumerate(self.fields):
            values = {key[index] for key in keys}
            lookup[f"{self.column(field)}__in"] = values
        for instance in resource.get_queryset().filter(**lookup):
            self.remember(instance)

    def column(self, field) -> str:
        model_field = self.resource._meta.model._meta.get_field(field.attribute)
        return model_field.attname if model_field.is_relation else field.attribute

    def row_key(self, row) -> tuple:
        values = (field.clean(row) for field in self.fields)
        return tuple(value.pk if isinstance(value, models.Model) else value for value in values)

    def remember(self, instance) -> None:
        key = tuple(getattr(instance, self.column(field)) for field in self.fields)
        self.found[key] = instance

    def get_instance(self, row):
        return self.found.get(self.row_key(row))


class ScopedResource(resources.ModelResource):
    user = None

    class Meta:
        # Unchanged rows are skipped (and reported), so a second import changes nothing; every
        # row is validated by the model's full_clean().
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        instance_loader_class = NaturalKeyInstanceLoader

    def before_import(self, dataset, **kwargs):
        self.user = kwargs.get("user")
        scoped = [
            field
            for field in self.fields.values()
            if isinstance(field.widget, (VisibleForeignKeyWidget, VisibleManyToManyWidget))
        ]
        for field in scoped:
            field.widget.user = self.user
        for field in scoped:
            column = field.column_name
            values = dataset[column] if dataset.headers and column in dataset.headers else []
            field.widget.prefetch(values)
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
        self.instance_loader = instance_loader
        return super().get_instance(instance_loader, row)

    def after_save_instance(self, instance, row, **kwargs):
        # A later row of the same file with the same natural key updates this record.
        self.instance_loader.remember(instance)
        super().after_save_instance(instance, row, **kwargs)

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
        # A reference a widget resolved is one the importer may see; full_clean() need not
        # read it again, once a row.
        resolved = [
            field.attribute
            for field in self.get_import_fields()
            if isinstance(field.widget, VisibleForeignKeyWidget) and field.attribute not in errors
        ]
        try:
            instance.full_clean(exclude=[*errors, *resolved], validate_unique=validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        stamp(instance, self.user, is_new=instance.pk is None)
        super().before_save_instance(instance, row, **kwargs)


class VisibleForeignKeyWidget(widgets.ForeignKeyWidget):
    """A reference by a natural field, resolved among the records the importer may see."""

    user = None  # set by the resource before each import
    found = None  # {cell text: record}, read once for the file by prefetch()

    def get_queryset(self, value, row, *args, **kwargs):
        user = self.user or kwargs.get("user")
        return visible(self.model, user) if user is not None else self.model.objects.none()

    def prefetch(self, values) -> None:
        """Read at once the records the file's cells name; a name two records share is left
        to the row's own lookup, which reports it."""
        wanted = {str(value) for value in values if value not in (None, "")}
        records = self.get_queryset(None, None).filter(**{f"{self.field}__in": wanted})
        self.found, shared = {}, set()
        for record in records:
            key = str(getattr(record, self.field))
            if key in self.found:
                shared.add(key)
            self.found[key] = record
        for key in shared:
            del self.found[key]

    def clean(self, value, row=None, **kwargs):
        if self.found is not None and value and str(value) in self.found:
            return self.found[str(value)]
        try:
            return super().clean(value, row=row, **kwargs)
        except ObjectDoesNotExist as error:
            raise ValueError(
                _("No %(kind)s “%(value)s” that you may see.")
                % {"kind": self.model._meta.verbose_name, "value": value}
            ) from error


class VisibleManyToManyWidget(widgets.ManyToManyWidget):
    """References by a natural field, separated by `;`, among the records the importer may see,
    read once for the whole file."""

    user = None
    found = None

    def __init__(self, model, field="slug", **kwargs):
        super().__init__(model, separator=";", field=field, **kwargs)

    def keys(self, value) -> list[str]:
        if value in (None, ""):
            return []
        if isinstance(value, float | int):
            return [str(int(value))]
        return [key.strip() for key in str(value).split(self.separator) if key.strip()]

    def prefetch(self, values) -> None:
        wanted = {key for value in values for key in self.keys(value)}
        records = visible(self.model, self.user).filter(**{f"{self.field}__in": wanted})
        self.found = {str(getattr(record, self.field)): record for record in records}

    def clean(self, value, row=None, **kwargs):
        if self.found is None:
            return visible(super().clean(value, row=row, **kwargs), self.user)
        return [self.found[key] for key in self.keys(value) if key in self.found]


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
        if self.found is not None:
            found = self.found.get((slug.strip(), int(number)))
        else:
            found = (
                self.get_queryset(value, row, **kwargs)
                .filter(dialogue__slug=slug.strip(), number=int(number))
                .first()
            )
        if found is None:
            raise ValueError(_("No round “%(value)s” that you may see.") % {"value": value})
        return found

    def prefetch(self, values) -> None:
        slugs = {str(value).rpartition(":")[0].strip() for value in values if value}
        rounds = self.get_queryset(None, None).filter(dialogue__slug__in=slugs - {""})
        self.found = {
            (round_.dialogue.slug, round_.number): round_
            for round_ in rounds.select_related("dialogue")
        }

    def render(self, value, obj=None, **kwargs):
        return f"{value.dialogue.slug}:{value.number}" if value else ""
