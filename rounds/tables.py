"""Tables for the rounds and topics lists; their columns are also the CSV's."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import (
    ChineseColumn,
    CountryColumn,
    DateColumn,
    LocalizedNameColumn,
    PreciseDateColumn,
)
from rounds.models import CaseOfConcern, Round, Topic


class RoundTable(tables.Table):
    name = tables.Column(
        accessor="pk",
        verbose_name=_("Round"),
        linkify=True,
        order_by=("dialogue__name", "number", "start_date"),
    )
    dialogue = tables.Column(verbose_name=_("Dialogue"), linkify=True, order_by="dialogue__name")
    start_date = PreciseDateColumn(verbose_name=_("Start"))
    cities = tables.Column(verbose_name=_("Cities"))
    host_country = CountryColumn("host_country", verbose_name=_("Host"))
    status = tables.Column(verbose_name=_("Status"))
    topic_count = tables.Column(verbose_name=_("Topics"), attrs={"td": {"class": "num"}})

    class Meta:
        model = Round
        fields = ["name", "dialogue", "start_date", "cities", "host_country", "status"]
        order_by = ("-start_date",)

    def render_name(self, record):
        return str(record)

    def value_name(self, record):
        return str(record)


class TopicTable(tables.Table):
    name = LocalizedNameColumn(verbose_name=_("Topic"), linkify=True)
    name_zh = ChineseColumn()
    category = tables.Column(verbose_name=_("Category"))
    times_raised = tables.Column(verbose_name=_("Rounds"), attrs={"td": {"class": "num"}})
    first_year = tables.Column(verbose_name=_("First"))
    last_year = tables.Column(verbose_name=_("Last"))
    has_project = tables.Column(verbose_name=_("Follow-up project"))

    class Meta:
        model = Topic
        fields = ["name", "name_zh", "category"]
        order_by = ("name",)

    def render_has_project(self, value):
        return _("Yes") if value else _("No")

    def value_has_project(self, value):
        return "yes" if value else "no"


class CaseTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    name_zh = ChineseColumn()
    category = tables.Column(verbose_name=_("Category"))
    detention_type = tables.Column(verbose_name=_("Detention"))
    province = tables.Column(verbose_name=_("Province or region"))
    status = tables.Column(verbose_name=_("Status"))
    raising_count = tables.Column(verbose_name=_("Times raised"), attrs={"td": {"class": "num"}})
    last_raised = DateColumn(verbose_name=_("Last raised"))

    class Meta:
        model = CaseOfConcern
        fields = ["name", "name_zh", "category", "detention_type", "province", "status"]
        order_by = ("name",)
