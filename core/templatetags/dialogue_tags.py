"""Template helpers shared by every page."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from core.formats import percent, precise_date, precise_period, written_date, written_period
from core.models import Side, reader_language

register = template.Library()


@register.simple_tag
def history_url(obj) -> str:
    """The product's history page of a record."""
    meta = obj._meta
    return reverse("record_history", args=[meta.app_label, meta.model_name, obj.pk])


@register.filter
def localized(obj):
    """A record's name in the reader's language; an English fallback is marked `lang="en"` so
    that screen readers pronounce it right on a French page."""
    name, language = obj.name_in()
    if language != reader_language():
        return format_html('<span lang="{}">{}</span>', language, name)
    return name


@register.filter
def side_of(dialogue, side) -> str:
    """{{ round.dialogue|side_of:item.raised_by }}: the party a side stands for in the dialogue
    ("Canada", "China"; Dialogue.side_name), or the side's own label without a dialogue."""
    if not side:
        return ""
    if dialogue and not getattr(dialogue, "is_restricted", False):
        return dialogue.side_name(side)
    return str(Side(side).label)  # no dialogue, or one reached through a hidden record


@register.filter
def days_overdue(action, today):
    """{{ action|days_overdue:today }}: the days an overdue action is late, else None."""
    return action.days_overdue(today)


register.filter("percent", percent)
# {{ round.start_date|precise:round.date_precision }}: "2008-10" for a date known to the month.
register.filter("precise", precise_date)
# {% period round.start_date round.end_date round.date_precision %}
register.simple_tag(precise_period, name="period")
# {{ round.start_date|written:round.date_precision }}: "October 2008" ("octobre 2008" in French).
register.filter("written", written_date)
register.simple_tag(written_period, name="written_period")


@register.simple_tag(takes_context=True)
def page_query(context, page, number) -> str:
    """The page's query string with this pager's page (see core.views.paginate) set."""
    query = context["request"].GET.copy()
    query[getattr(page, "param", "page")] = number
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def section_marking(context, *sources) -> str:
    """The label of the highest marking among the records a section of a page shows."""
    from core.models import SecurityMarking
    from core.reading import section_marking as highest

    return SecurityMarking(highest(context["request"].user, *sources)).label


@register.simple_tag
def table_rows(table):
    """A django-tables2 table's rows on this page, as `<tr>` of `<td>` (core.tables.drawn_rows)."""
    from core.tables import drawn_rows

    return drawn_rows(table)
