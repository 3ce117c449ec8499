"""Tables for organizations, people and consultations."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import (
    ChineseColumn,
    CountryColumn,
    LocalizedNameColumn,
    PreciseDateColumn,
)
from stakeholders.models import Consultation, Organization, Person


class OrganizationTable(tables.Table):
    name = LocalizedNameColumn(verbose_name=_("Name"), linkify=True)
    acronym = tables.Column(verbose_name=_("Acronym"))
    name_zh = ChineseColumn()
    country = CountryColumn("country", verbose_name=_("Country"))
    kind = tables.Column(verbose_name=_("Kind"))
    parent = tables.Column(verbose_name=_("Part of"), linkify=True, order_by="parent__name")

    class Meta:
        model = Organization
        fields = ["name", "acronym", "name_zh", "country", "kind", "parent"]
        order_by = ("name",)

    def render_acronym(self, record):
        return record.display_acronym


class PersonTable(tables.Table):
    full_name = tables.Column(verbose_name=_("Name"), linkify=True)
    name_zh = ChineseColumn()
    position = tables.Column(verbose_name=_("Position"))
    organization = tables.Column(
        verbose_name=_("Organization"), linkify=True, order_by="organization__name"
    )

    class Meta:
        model = Person
        fields = ["full_name", "name_zh", "position", "organization"]
        order_by = ("full_name",)


class ConsultationTable(tables.Table):
    date = PreciseDateColumn(verbose_name=_("Date"))
    kind = tables.Column(verbose_name=_("Kind"))
    dialogue = tables.Column(verbose_name=_("Dialogue"), linkify=True, order_by="dialogue__name")
    round = tables.Column(verbose_name=_("Round"), linkify=True, order_by="round__start_date")
    format = tables.Column(verbose_name=_("Format"))
    location = tables.Column(verbose_name=_("Location"))
    organization_count = tables.Column(verbose_name=_("Organizations"))

    class Meta:
        model = Consultation
        fields = ["date", "kind", "dialogue", "round", "format", "location"]
        order_by = ("-date",)
