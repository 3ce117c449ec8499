"""Figures and dates written the way the reader's language writes them."""

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _


def percent(value) -> str:
    """A share as a percentage: "67%" in English, "67 %" in French; "—" when there is none."""
    if value is None or value == "":
        return "—"
    return _("%(value)s%%") % {"value": number_format(value)}


def precise_date(value, precision="day") -> str:
    """A date written no more precisely than it is known, in ISO 8601's forms: "2008-10-15",
    "2008-10" for a month, "2008" for a year; "" when there is none."""
    if not value:
        return ""
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def precise_period(start, end, precision="day") -> str:
    """From `start` to `end` as precisely as they are known ("2008-10-15 – 2008-10-17",
    "2008-10"); one date when both are written the same."""
    first, last = precise_date(start, precision), precise_date(end, precision)
    return first if not last or last == first else f"{first} – {last}"


def written_date(value, precision="day") -> str:
    """A date in words, in the reader's language, no more precisely than it is known: "Sept.
    14, 2027", "September 2027" ("septembre 2027" in French) for a month, "2027" for a year;
    "" when there is none. For prose and printouts; tables and exports keep ISO 8601."""
    if not value:
        return ""
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return date_format(value, "YEAR_MONTH_FORMAT")
    return date_format(value, "DATE_FORMAT")


def written_period(start, end, precision="day") -> str:
    """From `start` to `end` in words, as precisely as they are known; one date when both are
    written the same."""
    first, last = written_date(start, precision), written_date(end, precision)
    return first if not last or last == first else f"{first} – {last}"
