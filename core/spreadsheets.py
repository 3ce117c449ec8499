"""Every spreadsheet the product writes, safe to open.

A cell whose text begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read by a
spreadsheet program as a formula, which can run commands or send the sheet's contents away
(`=HYPERLINK(…)`). As OWASP recommends, such a text gets a leading single quote, so it is shown
as the text it is; numbers, dates and other typed values stay what they are.

The list pages (django-tables2), the admin's export (django-import-export) and the reports'
CSV files all write through tablib, so its `csv` and `xlsx` formats are replaced here, once,
at start-up (`install`): no export can forget the rule.

A worksheet cannot hold control characters (other than tab, line feed and carriage return):
text may still contain them (a bell or an escape pasted from another program is kept as typed),
so the XLSX writer leaves them out rather than fail.

Imports are bounded (`LimitedCSV`, `LimitedXLSX`): a file over IMPORT_MAX_BYTES, or with more
than IMPORT_MAX_ROWS rows, is refused with the limit named, and rows are counted while they are
read, so a small spreadsheet that unpacks to a great many rows stops at the limit.
"""

import csv
import datetime
import decimal
import io
import zipfile

import openpyxl
import tablib
from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils.exceptions import InvalidFileException
from tablib.formats import registry
from tablib.formats._csv import CSVFormat
from tablib.formats._xlsx import XLSXFormat

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A spreadsheet is read only while it unpacks to at most this many times IMPORT_MAX_BYTES.
UNPACKED_FACTOR = 10
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
    """tablib's CSV, with every cell neutralised and quoted: a spreadsheet set to split on ";"
    (Excel in French Canada) then keeps "a;=b" in one cell rather than start a formula."""

    @classmethod
    def export_stream_set(cls, dataset, **kwargs):
        kwargs.setdefault("quoting", csv.QUOTE_ALL)
        return super().export_stream_set(neutralised_dataset(dataset), **kwargs)


def worksheet_text(value):
    """The value without the control characters a worksheet cannot hold."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


class SafeXLSXFormat(XLSXFormat):
    """tablib's XLSX, with every cell neutralised and none written as a formula."""

    @classmethod
    def dset_sheet(cls, dataset, ws, freeze_panes=True, escape=False):
        # Left out first, so that a formula behind a control character is still neutralised.
        holdable = tablib.Dataset(title=dataset.title)
        for row in dataset:
            holdable.append([worksheet_text(value) for value in row])
        if dataset.headers:
            holdable.headers = [worksheet_text(header) for header in dataset.headers]
        super().dset_sheet(neutralised_dataset(holdable), ws, freeze_panes=freeze_panes)
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


# -- imports: bounded before they are read --------------------------------------------------------


class ImportRefused(ValueError):
    """A file that is not read, with why and what to do in words."""


class ImportTooLarge(ImportRefused):
    """A file beyond the import limits, with the limit in words."""


def not_utf8(error: UnicodeDecodeError) -> ImportRefused:
    return ImportRefused(
        _(
            "This file is not in UTF-8, the encoding CSV files are read in (byte %(position)s "
            "is not UTF-8): save it as “CSV UTF-8” and import it again."
        )
        % {"position": error.start + 1}
    )


def _limits() -> tuple[int, int]:
    return settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_BYTES


def check_size(size: int) -> None:
    limit = _limits()[1]
    if size > limit:
        raise ImportTooLarge(
            _(
                "This file is %(size)s; a file to import may be at most %(limit)s "
                "(IMPORT_MAX_BYTES). Split it into smaller files."
            )
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )


def check_rows(count: int) -> None:
    limit = _limits()[0]
    if count > limit:
        raise ImportTooLarge(
            _(
                "This file has more than %(limit)s rows; import at most %(limit)s rows at a "
                "time (IMPORT_MAX_ROWS). Split it into smaller files."
            )
            % {"limit": limit}
        )


class LimitedCSV(base_formats.CSV):
    """CSV import, refused past the size or row limit before the rows are built."""

    def create_dataset(self, in_stream, **kwargs):
        try:
            text = (
                in_stream.decode(self.encoding or "utf-8")
                if isinstance(in_stream, bytes)
                else in_stream
            )
        except UnicodeDecodeError as error:
            raise not_utf8(error) from error
        check_size(len(text.encode("utf-8")))
        rows = 0
        for row in csv.reader(io.StringIO(text)):
            rows += bool(row)
            check_rows(rows - 1)  # the first line holds the headers
        return super().create_dataset(in_stream, **kwargs)


class LimitedXLSX(base_formats.XLSX):
    """XLSX import, refused past the size (also unpacked) or row limit; rows are counted while
    they are read, so a small file that unpacks to many rows stops at the limit."""

    def create_dataset(self, in_stream):
        check_size(len(in_stream))
        try:
            unpacked = sum(
                item.file_size for item in zipfile.ZipFile(io.BytesIO(in_stream)).infolist()
            )
        except zipfile.BadZipFile:
            unpacked = 0  # openpyxl says what is wrong with it
        if unpacked > UNPACKED_FACTOR * _limits()[1]:
            raise ImportTooLarge(
                _(
                    "This spreadsheet unpacks to %(size)s; at most %(limit)s is read "
                    "(%(factor)s times IMPORT_MAX_BYTES). Split it into smaller files."
                )
                % {
                    "size": filesizeformat(unpacked),
                    "limit": filesizeformat(UNPACKED_FACTOR * _limits()[1]),
                    "factor": UNPACKED_FACTOR,
                }
            )
        try:
            book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
            raise ImportRefused(
                _(
                    "This file is not an Excel workbook (XLSX): it may be damaged, or of "
                    "another kind renamed. Save it as an Excel workbook, or choose the format "
                    "it is in, and import it again."
                )
            ) from error
        try:
            rows = book.active.iter_rows(values_only=True)
            dataset = tablib.Dataset()
            dataset.headers = list(next(rows, ()))
            for values in rows:
                if all(value is None for value in values):
                    continue
                check_rows(len(dataset) + 1)
                dataset.append(list(values))
        finally:
            book.close()
        return dataset
