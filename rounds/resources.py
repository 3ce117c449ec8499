"""Spreadsheet columns for rounds, agenda items and cases of concern."""

from django.utils.translation import gettext as _
from import_export import fields

from core.resources import (
    ScopedResource,
    VisibleForeignKeyWidget,
    VisibleManyToManyWidget,
)
from rounds.models import AgendaItem, CaseOfConcern, Dialogue, Round, Topic


class RoundWidget(VisibleForeignKeyWidget):
    """A round written as its dialogue's slug and its number: `canada-china-jchr:9`."""

    related = ("dialogue",)

    def __init__(self, **kwargs):
        super().__init__(Round, **kwargs)

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        slug, _sep, number = str(value).rpartition(":")
        if not slug or not number.strip().isdigit():
            raise ValueError(
                _(
                    "“%(value)s” is not a round; write the dialogue's slug and the round's number, "
                    "e.g. canada-china-jchr:9."
                )
                % {"value": value}
            )
        if self.found is not None:
            found = self.found.get((slug.strip(), int(number)))
        else:
            found = (
                self.get_queryset(value, row, **kwargs)
                .filter(dialogue__slug=slug.strip(), number=int(number))
                .first()
            )
        if found is None:
            raise ValueError(_("No round “%(value)s” that you may see.") % {"value": value})
        return found

    def prefetch(self, values) -> None:
        slugs = {str(value).rpartition(":")[0].strip() for value in values if value}
        rounds = self.get_queryset(None, None).filter(dialogue__slug__in=slugs - {""})
        self.found = {
            (round_.dialogue.slug, round_.number): round_
            for round_ in rounds.select_related("dialogue")
        }

    def render(self, value, obj=None, **kwargs):
        return f"{value.dialogue.slug}:{value.number}" if value else ""


class RoundResource(ScopedResource):
    dialogue = fields.Field(
        attribute="dialogue",
        column_name="dialogue",
        widget=VisibleForeignKeyWidget(Dialogue, "slug"),
    )

    class Meta:
        model = Round
        fields = [
            "dialogue",
            "number",
            "start_date",
            "end_date",
            "date_precision",
            "host_country",
            "cities",
            "status",
            "interpretation_mode",
            "public_statement",
            "summary",
            "source_note",
            "security_marking",
        ]
        import_id_fields = ["dialogue", "number"]


class AgendaItemResource(ScopedResource):
    round = fields.Field(attribute="round", column_name="round", widget=RoundWidget())
    topics = fields.Field(
        attribute="topics",
        column_name="topics",
        widget=VisibleManyToManyWidget(Topic, field="slug"),
    )

    class Meta:
        model = AgendaItem
        fields = [
            "round",
            "order",
            "segment",
            "title",
            "topics",
            "proposed_by",
            "agenda_status",
            "raised_by",
            "summary",
            "security_marking",
        ]
        import_id_fields = ["round", "title"]


class CaseOfConcernResource(ScopedResource):
    class Meta:
        model = CaseOfConcern
        fields = [
            "name",
            "name_zh",
            "aliases",
            "province",
            "category",
            "detention_type",
            "detained_on",
            "sentence",
            "status",
            "summary",
            "sources",
            "security_marking",
        ]
        import_id_fields = ["name"]
