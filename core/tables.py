"""Table columns every app shares."""

import django_tables2 as tables
from django.db.models import Model
from django.utils.dateformat import format as format_date
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.data import TableQuerysetData
from django_tables2.utils import Accessor, signature

from core.formats import precise_date
from core.templatetags.dialogue_tags import localized


class LocalizedNameColumn(tables.Column):
    """A record's name in the reader's language (English, marked as such, where no French name
    is recorded); the CSV has the plain name. Sorted by the English name."""

    def render(self, record):
        return localized(record)

    def value(self, record, value):
        return record.display_name


class ChineseColumn(tables.Column):
    """Text in Chinese, marked so that it is read out in Chinese."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("verbose_name", _("Chinese"))
        kwargs.setdefault("attrs", {"td": {"lang": "zh"}})
        super().__init__(*args, **kwargs)


class CountryColumn(tables.Column):
    """A country's name, read from the field's Country object: the value django-tables2 would
    fetch through the model's get_FOO_display flattens all 250 choices for every cell."""

    def __init__(self, field, *args, **kwargs):
        self.field = field
        kwargs.setdefault("accessor", f"{field}__code")
        kwargs.setdefault("order_by", field)
        super().__init__(*args, **kwargs)

    def render(self, record):
        return getattr(record, self.field).name

    def value(self, record, value):
        return getattr(record, self.field).name


class DateColumn(tables.Column):
    """A date as `format` writes it, on the page and in the exports alike. (django-tables2's
    DateColumn is a TemplateColumn, which compiles its template again for every cell.)"""

    def __init__(self, *args, format="Y-m-d", **kwargs):
        self.format = format
        super().__init__(*args, **kwargs)

    def render(self, value):
        return format_date(value, self.format)

    def value(self, value):
        return format_date(value, self.format)


class PreciseDateColumn(tables.Column):
    """A date written no more precisely than its record's `date_precision` says it is known
    ("2008-10" for a month), on the page and in the exports alike."""

    def render(self, value, record):
        return precise_date(value, record.date_precision)

    def value(self, value, record):
        return precise_date(value, record.date_precision)


# -- reading a page of rows --------------------------------------------------------------------


class PageFirstData(TableQuerysetData):
    """A list's rows for one page, chosen before they are joined to their related records.

    For `rows[25:50]` PostgreSQL joined every row to its related records (an action's round,
    dialogue, project, organization and assignee) and then sorted them all to keep 25: 30,000
    actions sorted by title took 110 ms. The page's keys are now chosen on the model's own table,
    with only the joins its order needs, in a subquery, and only those rows are read with their
    related records, in the same order: one query, as before."""

    def __getitem__(self, key):
        queryset = self.data
        if not isinstance(key, slice) or queryset.query.combinator:
            return super().__getitem__(key)
        queryset = _ties_broken(queryset)
        if queryset.query.distinct:
            return queryset[key]  # a DISTINCT's order would widen the subquery
        return queryset.filter(pk__in=queryset.values("pk")[key])

    def __iter__(self):
        # Every row (an export): in the pages' order, ties included.
        queryset = self.data
        return iter(queryset if queryset.query.combinator else _ties_broken(queryset))


def _ties_broken(queryset):
    """The queryset's order, rows alike in it (a title, a due date many share) ordered by their
    key: each page's rows are then the next ones, not a tie broken one way for one page and
    another for the next (a row shown on two pages and another on none)."""
    query = queryset.query
    order = list(
        query.order_by or (queryset.model._meta.ordering if query.default_ordering else ())
    )
    if any(isinstance(field, str) and field.lstrip("-") in ("pk", "id") for field in order):
        return queryset
    return queryset.order_by(*order, "pk")


# -- drawing a page of rows -------------------------------------------------------------------

# What django-tables2 may pass a column's render method (BoundRow._optional_cell_arguments).
CELL_ARGUMENTS = frozenset({"value", "record", "column", "bound_column", "bound_row", "table"})


class CellDrawer:
    """One column's cells, drawn as django-tables2's `BoundRow.get_cell` draws them, with what
    does not change from row to row worked out once for the page: the render method's
    arguments (django-tables2 inspects its signature again for every cell), whether the value
    is a choice's label, and the cell's attributes (none of ours depends on the record)."""

    def __init__(self, bound_column, model):
        self.bound_column = bound_column
        self.column = bound_column.column
        self.accessor = Accessor(bound_column.accessor)
        self.default = bound_column.default
        self.link = bound_column.link
        # linkify=True with nothing more (all our links): the value's page, or else the
        # record's, as django-tables2's LinkTransform writes it, without its per-cell lookups.
        self.plain_link = self.link is not None and not (
            self.link.url or self.link.reverse_args or self.link.attrs or self.link.accessor
        )
        self.attrs = bound_column.attrs["td"].as_html()
        self.render = bound_column.render
        arguments, catch_all = signature(self.render)
        self.arguments = None if catch_all else arguments
        self.callable = catch_all is not None or CELL_ARGUMENTS.issuperset(arguments)
        # A field with choices is read through the model's get_FOO_display, as django-tables2
        # does; the label's method is named after the accessor's last part.
        path, _sep, self.remainder = self.accessor.rpartition(Accessor.SEPARATOR)
        self.path = Accessor(path) if path else None
        field = self.accessor.get_field(model) if model is not None else None
        self.choices = bool(getattr(field, "choices", ())) and self.remainder == field.name
        if self.choices:
            self.display = f"get_{field.name}_display"  # core/choices.py's, for Django's fields
        # Columns that read their value otherwise (a many-to-many's, a link's own text) are
        # left to django-tables2 cell by cell.
        self.own = not isinstance(self.column, (tables.ManyToManyColumn, BaseLinkColumn))

    def read(self, record):
        """The cell's value (a choice's label), and what the accessor reads (for its link)."""
        try:
            read = self.accessor.resolve(record)
        except Exception:  # as django-tables2: a cell that cannot be read is empty
            read = None
        if self.choices:
            owner = self.path.resolve(record, quiet=True) if self.path else record
            if isinstance(owner, Model):
                return getattr(owner, self.display)(), read
        return read, read

    def href(self, record, read) -> str:
        target = read if hasattr(read, "get_absolute_url") else record
        return target.get_absolute_url()

    def draw(self, record, row):
        if not self.own:
            return row.get_cell(self.bound_column.name)
        value, read = self.read(record)
        if value in self.column.empty_values:
            return self.default
        given = {
            "value": value,
            "record": record,
            "column": self.column,
            "bound_column": self.bound_column,
            "bound_row": row,
            "table": row.table,
        }
        if not self.callable:  # a render method asking for what no cell has: no content
            content = None
        elif self.arguments is None:
            content = self.render(**given)
        else:
            content = self.render(**{name: given[name] for name in self.arguments})
        if self.plain_link:
            href = self.href(record, read)
            if href is None:
                return content
            return mark_safe(f'<a href="{escape(href)}">{conditional_escape(content)}</a>')
        return self.link(content, **given) if self.link else content


def drawn_rows(table) -> str:
    """The table's rows on this page, as `<tr>` of `<td>`: the markup of django-tables2's own
    `{% for column, cell in row.items %}<td {{ column.attrs.td.as_html }}>{{ cell }}</td>`,
    drawn a column at a time (see CellDrawer; a test holds the two to the same markup for
    every table of the product). A table with `row_attrs` has them on its `<tr>`."""
    model = table.data.model  # the queryset's model (None for a list of dicts)
    drawers = [CellDrawer(column, model) for column in table.columns]
    row_attrs = bool(table.row_attrs)
    rows = []
    for row in table.paginated_rows:
        record = row.record
        # What format_html("<td {}>{}</td>", ...) writes: the attributes are already markup,
        # the content is escaped unless it is marked safe.
        cells = "".join(
            f"<td {drawer.attrs}>{conditional_escape(drawer.draw(record, row))}</td>"
            for drawer in drawers
        )
        opening = f"<tr {row.attrs.as_html()}>" if row_attrs else "<tr>"
        rows.append(f"{opening}{cells}</tr>")
    return mark_safe("\n".join(rows))  # every cell escaped above
