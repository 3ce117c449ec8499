"""Template helpers shared by every page."""

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def history_url(obj) -> str:
    """The product's history page of a record."""
    meta = obj._meta
    return reverse("record_history", args=[meta.app_label, meta.model_name, obj.pk])
