"""Spreadsheet columns for rounds, agenda items and cases of concern."""

from import_export import fields

from dialogue.resources import (
    RoundWidget,
    ScopedResource,
    VisibleForeignKeyWidget,
    VisibleManyToManyWidget,
)
from rounds.models import AgendaItem, CaseOfConcern, Dialogue, Round, Topic


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
