"""Figures written the way the reader's language writes them."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def percent(value) -> str:
    """A share as a percentage: "67%" in English, "67 %" in French; "—" when there is none."""
    if value is None or value == "":
        return "—"
    return _("%(value)s%%") % {"value": number_format(value)}
