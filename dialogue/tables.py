"""Table columns every app shares."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from dialogue.templatetags.dialogue_tags import localized


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
