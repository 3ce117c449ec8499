"""Spreadsheet import and export (django-import-export) shared by every app.

A resource imports only what the importing user may see and file: records are matched among
those visible to them, references resolve among those visible to them, and a row marked above
their clearance is refused with the field named. Rows are matched on natural keys, so importing
the same file twice changes nothing; the admin runs a dry run first and commits all rows in one
transaction, or none when any row has an error.

The records a file names (rounds, topics, organizations, and the records its rows would update)
are read once for the whole file before the rows are imported, not once a row; and the rows are
written together once they have all been read and validated (import-export's `use_bulk`): the
records, their many-to-many links and one history entry each, by the importing user, in a few
statements for the whole file. So an import's queries hardly grow with its rows.
"""

import functools
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import DatabaseError, models, transaction
from django.utils.encoding import force_str
from django.utils.formats import sanitize_separators
from django.utils.translation import gettext as _
from import_export import instance_loaders, resources, results, widgets
from simple_history.utils import get_history_manager_for_model

from core.access import visible
from core.forms import stamp
from core.models import PreciseDates, VersionedModel
from core.references import unrestricted


def nul_columns(row) -> list[str]:
    """The columns of a row whose cell holds a NUL character."""
    return [column for column, value in row.items() if isinstance(value, str) and "\x00" in value]


class NaturalKeyInstanceLoader(instance_loaders.BaseInstanceLoader):
    """The records the file's rows would update, read in one query by their natural keys (the
    resource's import_id_fields), among those the importer may see."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.fields = [resource.fields[name] for name in resource.get_import_id_fields()]
        self.found = {}
        keys = set()
        columns = (dataset.headers or []) if dataset is not None else []
        if any(field.column_name not in columns for field in self.fields):
            return  # each row is refused with the column named (ScopedResource.get_instance)
        for row in dataset.dict if dataset is not None else []:
            if nul_columns(row):
                continue  # reported against the row (ScopedResource.get_instance)
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
        # Their links (those the importer may see) and the records they refer to are read with
        # them, to tell which rows change nothing and to show the preview's "before".
        links = [
            models.Prefetch(field.attribute, queryset=visible(field.widget.model, resource.user))
            for field in resource.link_fields
        ]
        related = [
            path
            for field in resource.get_import_fields()
            if isinstance(field.widget, VisibleForeignKeyWidget)
            for path in [
                field.attribute,
                *(f"{field.attribute}__{p}" for p in field.widget.related),
            ]
        ]
        # Locked until the import ends: no one changes them between this read and the write,
        # which does not check versions record by record.
        records = resource.get_queryset().filter(**lookup).select_for_update(of=("self",))
        if related:
            records = records.select_related(*related)
        for instance in records.prefetch_related(*links):
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
        # Every row is read and validated, then all are written at once (bulk_create and
        # bulk_update below): no savepoint or write a row.
        use_bulk = True
        batch_size = None

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
        # its column like any other field, not as a crash of the row. So is a NUL character in
        # any cell, which no text the database holds may contain.
        errors = {
            column: ValidationError(ProhibitNullCharactersValidator.message)
            for column in nul_columns(row)
        }
        for name in self.get_import_id_fields():
            field = self.fields[name]
            if field.column_name in errors:
                continue
            if field.column_name not in row:
                errors[field.column_name] = ValidationError(
                    _("The file has no “%(column)s” column, by which each row is matched.")
                    % {"column": field.column_name}
                )
                continue
            try:
                field.clean(row)
            except ValueError as error:
                errors[field.column_name] = ValidationError(str(error))
        if errors:
            raise ValidationError(errors)
        self.instance_loader = instance_loader
        return super().get_instance(instance_loader, row)

    def import_instance(self, instance, row, **kwargs):
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            # A month's date as it will be stored (its first day), before the row is compared
            # with the record: a file imported again is then found unchanged.
            if isinstance(instance, PreciseDates):
                instance.date_precision_apply()

    def after_save_instance(self, instance, row, **kwargs):
        # A later row of the same file with the same natural key updates this record.
        self.instance_loader.remember(instance)
        super().after_save_instance(instance, row, **kwargs)

    def import_data(self, dataset, dry_run=False, **kwargs):
        self.dry_run = dry_run
        self.written = {}  # id(record) -> (row number, row), to name the row of a failed write
        # All or nothing: a file with any bad row leaves the database as it was.
        with transaction.atomic():
            result = super().import_data(dataset, dry_run=dry_run, **kwargs)
            if result.has_errors() or result.has_validation_errors():
                transaction.set_rollback(True)
        return result

    def get_queryset(self):
        queryset = super().get_queryset()
        return visible(queryset, self.user) if self.user is not None else queryset.none()

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        widget = super().widget_from_django_field(f, default)
        return CLEARER_WIDGETS.get(widget, widget)

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
        # Nor the fields the code sets (who made the record, its version), not the file. The
        # model's constraints are checked by the database when the file is written, and should
        # that fail, row by row to name the row and field (report_failed_write), rather than
        # with queries for every row.
        code_set = [field.name for field in instance._meta.fields if not field.editable]
        try:
            instance.full_clean(
                exclude=[*errors, *resolved, *code_set],
                validate_unique=validate_unique,
                validate_constraints=False,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # They still may not come to point at a record marked above this one (SECURITY.md):
        # checked for those the row sets or changes, from the records the widgets hold.
        before = getattr(instance, "references_before", {})
        changed = {
            name
            for name in resolved
            if name not in errors
            and (
                instance.pk is None
                or getattr(instance, instance._meta.get_field(name).attname) != before.get(name)
            )
        }
        if changed and hasattr(instance, "references_above_marking"):
            others = [field.name for field in instance._meta.fields if field.name not in changed]
            with unrestricted():
                errors.update(instance.references_above_marking(others))
        if errors:
            raise ValidationError(errors)

    def after_init_instance(self, instance, new, row, **kwargs):
        # What the record refers to before its row is read (a copy of the record keeps no
        # prefetched links, so they are kept as a list).
        instance.references_before = {
            field.name: getattr(instance, field.attname)
            for field in instance._meta.concrete_fields
            if field.is_relation
        }
        if instance.pk is not None:
            instance.linked_before = {
                field.attribute: list(getattr(instance, field.attribute).all())
                for field in self.link_fields
            }
        super().after_init_instance(instance, new, row, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        stamp(instance, self.user, is_new=instance.pk is None)
        # The row's many-to-many values wait with the record until it is written.
        instance.imported_links = {
            field.attribute: list(field.clean(row))
            for field in self.link_fields
            if field.column_name in row
        }
        self.written[id(instance)] = (kwargs.get("row_number"), row)
        super().before_save_instance(instance, row, **kwargs)

    @functools.cached_property
    def link_fields(self) -> list:
        """The many-to-many fields imported (asked for at every row, so kept)."""
        return [
            field
            for field in self.get_import_fields()
            if isinstance(field.widget, widgets.ManyToManyWidget)
        ]

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A row changes nothing when its fields and its links equal the record's (links to
        records the importer may not see are neither shown nor changed)."""
        if import_validation_errors:
            return False
        for field in self.get_import_fields():
            if field in self.link_fields:
                if field.column_name in row and {r.pk for r in field.clean(row)} != {
                    r.pk for r in links(original, field)
                }:
                    return False
            elif field.get_value(instance) != field.get_value(original):
                return False
        return True

    def get_diff_class(self):
        return ImportDiff

    # -- writing the file's rows at once -----------------------------------------------------

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self.write(self.create_instances, new=True, result=result, raise_errors=raise_errors)
        self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        # A record a file names twice is written once; one created by an earlier row of the
        # same file is written with the created ones.
        queued = {id(record): record for record in self.update_instances if record.pk is not None}
        self.write(list(queued.values()), new=False, result=result, raise_errors=raise_errors)
        self.update_instances.clear()

    def write(self, records, *, new, result, raise_errors) -> None:
        """Write the records, their links and one history entry each (by the importing user),
        a few statements for them all."""
        if not records:
            return
        model = self._meta.model
        try:
            with transaction.atomic(), unrestricted():
                if new:
                    model._default_manager.bulk_create(records)
                else:
                    self.bulk_update_records(records)
                links = self.write_links(records, new=new)
                self.write_history(records, new=new, links=links)
        except DatabaseError as error:
            self.report_failed_write(records, error, new=new, result=result)
            if raise_errors:
                raise

    def bulk_update_records(self, records) -> None:
        """What save() would do to each: its `auto_now` times, its version, every field."""
        model = self._meta.model
        fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        for record in records:
            for field in fields:
                if getattr(field, "auto_now", False):
                    field.pre_save(record, add=False)
            if isinstance(record, VersionedModel):
                record.version += 1
        model._default_manager.bulk_update(records, [field.name for field in fields])

    def write_links(self, records, *, new) -> dict:
        """Set each record's links to the ones its row names; a link to a record the importer
        may not see is kept as it is. Gives the links made, by field."""
        made = {}
        for field in self.link_fields:
            wanted = {
                record.pk: {linked.pk for linked in record.imported_links[field.attribute]}
                for record in records
                if field.attribute in getattr(record, "imported_links", {})
            }
            if not wanted:
                continue
            relation = self._meta.model._meta.get_field(field.attribute)
            through = relation.remote_field.through
            source = through._meta.get_field(relation.m2m_field_name()).attname
            target = through._meta.get_field(relation.m2m_reverse_field_name()).attname
            present = set()
            if not new:
                rows = through.objects.filter(**{f"{source}__in": wanted})
                stale = []
                for pk, owner, linked in rows.values_list("pk", source, target):
                    present.add((owner, linked))
                    if linked not in wanted[owner]:
                        stale.append(pk)
                if stale:
                    through.objects.filter(
                        pk__in=stale,
                        **{f"{target}__in": visible(relation.related_model, self.user)},
                    ).delete()
            made[field.attribute] = through.objects.bulk_create(
                through(**{source: owner, target: linked})
                for owner, targets in wanted.items()
                for linked in targets
                if (owner, linked) not in present
            )
        return made

    def write_history(self, records, *, new, links) -> None:
        """One history entry a record, holding its links as simple-history's own would (a new
        record's links are the ones just made)."""
        history = get_history_manager_for_model(self._meta.model)
        entries = history.bulk_history_create(records, update=not new, default_user=self.user)
        if not entries:  # history is switched off (SIMPLE_HISTORY_ENABLED)
            return
        key = self._meta.model._meta.pk.attname
        entry_of = {getattr(entry, key): entry for entry in entries}
        for relation in history.model._history_m2m_fields:
            through = relation.remote_field.through
            source = through._meta.get_field(relation.m2m_field_name()).attname
            link_history = getattr(history.model, relation.name).model
            if new:
                rows = links.get(relation.name, [])
            else:
                rows = through.objects.filter(**{f"{source}__in": list(entry_of)})
            columns = [field.attname for field in through._meta.fields]
            link_history.objects.bulk_create(
                link_history(
                    history=entry_of[getattr(row, source)],
                    **{column: getattr(row, column) for column in columns},
                )
                for row in rows
            )

    def report_failed_write(self, records, error, *, new, result) -> None:
        """The file's write failed (two of its rows break a constraint together, or a record
        changed meanwhile): write the records one by one, each checked against the constraints
        first, to name the row and the field. Nothing is kept: the file then has an error."""
        model = self._meta.model
        fields = [field.name for field in model._meta.concrete_fields if not field.primary_key]
        named = False
        for record in records:
            number, row = self.written.get(id(record), (None, None))
            try:
                with transaction.atomic(), unrestricted():
                    record.validate_constraints()
                    if new:
                        model._default_manager.bulk_create([record])
                    else:
                        model._default_manager.bulk_update([record], fields)
            except (ValidationError, DatabaseError) as row_error:
                if result is None or not number:
                    continue
                row_result = result.rows[number - 1]
                result.totals[row_result.import_type] -= 1
                if isinstance(row_error, ValidationError):
                    row_result.import_type = results.RowResult.IMPORT_TYPE_INVALID
                    row_result.validation_error = row_error
                    result.append_invalid_row(number, row, row_error)
                else:
                    row_result.import_type = results.RowResult.IMPORT_TYPE_ERROR
                    row_result.errors.append(
                        self.get_error_result_class()(row_error, row=row, number=number)
                    )
                result.totals[row_result.import_type] += 1
                named = True
        if not named:
            self.handle_import_error(result, error)


def links(record, field) -> list:
    """The records a record links to through this field, as the import sees them: the ones
    its file row named if it has been imported already, else the ones the importer may see
    (read with the record)."""
    for known in (getattr(record, "imported_links", {}), getattr(record, "linked_before", {})):
        if field.attribute in known:
            return known[field.attribute]
    if record.pk is None:
        return []
    return list(getattr(record, field.attribute).all())


class ImportDiff(resources.Diff):
    """The preview's table of changes, with each row's links as its file names them (they are
    written after every row has been read). The confirmation shows no table: none is made."""

    def __init__(self, resource, instance, new):
        self.shown = getattr(resource, "dry_run", True)
        self.left = self.values(resource, instance) if self.shown else []
        self.right = []
        self.new = new

    def compare_with(self, resource, instance):
        if self.shown:
            self.right = self.values(resource, instance)

    @staticmethod
    def values(resource, instance) -> list:
        if instance is None:
            return []
        return [
            field.widget.separator.join(
                str(getattr(linked, field.widget.field)) for linked in links(instance, field)
            )
            if field in resource.link_fields
            else field.export(instance)
            for field in resource.get_import_fields()
        ]


class VisibleForeignKeyWidget(widgets.ForeignKeyWidget):
    """A reference by a natural field, resolved among the records the importer may see."""

    user = None  # set by the resource before each import
    found = None  # {cell text: record}, read once for the file by prefetch()
    related = ()  # what render() reads beneath the record, read with the records a file updates

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


def _number(value):
    """The cell as a Decimal, or None if it is not a finite number."""
    try:
        number = Decimal(force_str(sanitize_separators(value)).strip())
    except ArithmeticError:  # decimal.InvalidOperation
        return None
    return number if number.is_finite() else None


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number; a word or a fraction is refused with the cell named (import-export takes
    the whole part of 1.5, and fails on a word with an error that names nothing)."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        number = _number(value)
        if number is None or number != number.to_integral_value():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
        return super().clean(value, row=row, **kwargs)


class NumberWidget(widgets.DecimalWidget):
    """A number; anything else is refused with the cell named."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        number = _number(value)
        if number is None:
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
        return number


class DayWidget(widgets.DateWidget):
    """A date; anything else is refused with the cell and the form a date takes named."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except ValueError as error:
            raise ValueError(
                _("“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2008-02-29.")
                % {"value": value}
            ) from error


# import-export's widgets for the model's fields, and those that name what is wrong instead.
CLEARER_WIDGETS = {
    widgets.IntegerWidget: WholeNumberWidget,
    widgets.DecimalWidget: NumberWidget,
    widgets.DateWidget: DayWidget,
}
