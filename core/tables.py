"""Table columns every app shares."""

import django_tables2 as tables
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext_lazy as _

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
