"""Figures and dates written the way the reader's language writes them."""

from django.utils.formats import number_format
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
