"""Every spreadsheet the product writes, safe to open.

A cell whose text begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read by a
spreadsheet program as a formula, which can run commands or send the sheet's contents away
(`=HYPERLINK(…)`). As OWASP recommends, such a text gets a leading single quote, so it is shown
as the text it is; numbers, dates and other typed values stay what they are.

The list pages (django-tables2), the admin's export (django-import-export) and the reports'
CSV files all write through tablib, so its `csv` and `xlsx` formats are replaced here, once,
at start-up (`install`): no export can forget the rule.
"""

import datetime
import decimal

import tablib
from django.http import HttpResponse
from django.utils.encoding import force_str
from tablib.formats import registry
from tablib.formats._csv import CSVFormat
from tablib.formats._xlsx import XLSXFormat

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Values written as what they are: a negative number is a number, not a formula.
TYPED = (bool, int, float, decimal.Decimal, datetime.date, datetime.time, datetime.timedelta)


def neutralised(value):
    """The value as a spreadsheet may safely hold it: text that would start a formula is
    prefixed with a single quote."""
    if value is None or isinstance(value, TYPED):
        return value
    text = force_str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def neutralised_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    safe = tablib.Dataset(title=dataset.title)
    for row in dataset:
        safe.append([neutralised(value) for value in row])
    if dataset.headers:
        safe.headers = [neutralised(header) for header in dataset.headers]
    return safe


class SafeCSVFormat(CSVFormat):
    """tablib's CSV, with every cell neutralised."""

    @classmethod
    def export_stream_set(cls, dataset, **kwargs):
        return super().export_stream_set(neutralised_dataset(dataset), **kwargs)


class SafeXLSXFormat(XLSXFormat):
    """tablib's XLSX, with every cell neutralised and none written as a formula."""

    @classmethod
    def dset_sheet(cls, dataset, ws, freeze_panes=True, escape=False):
        super().dset_sheet(neutralised_dataset(dataset), ws, freeze_panes=freeze_panes)
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def install() -> None:
    """Make tablib's `csv` and `xlsx` the safe ones (the app's ready() calls this)."""
    registry.register("csv", SafeCSVFormat())
    registry.register("xlsx", SafeXLSXFormat())


def csv_response(filename: str, headers: list, rows) -> HttpResponse:
    """A CSV download of these rows, through the same safe format as every other export."""
    dataset = tablib.Dataset(*rows, headers=headers)
    response = HttpResponse(dataset.export("csv"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
