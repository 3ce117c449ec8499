"""Template helpers shared by every page."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from core.formats import percent
from core.models import reader_language

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


register.filter("percent", percent)


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
