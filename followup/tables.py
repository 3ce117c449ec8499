"""Tables for follow-up projects, actions and benchmarks."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import DateColumn, LocalizedNameColumn
from followup.models import Benchmark, FollowUpAction, FollowUpProject


class FollowUpProjectTable(tables.Table):
    title = tables.Column(verbose_name=_("Project"), linkify=True)
    lead_agency = tables.Column(verbose_name=_("Lead agency"), order_by="lead_agency__name")
    status = tables.Column(verbose_name=_("Status"))
    start_date = DateColumn(verbose_name=_("Start"))
    end_date = DateColumn(verbose_name=_("End"))
    budget_cad = tables.Column(verbose_name=_("Budget (CAD)"), attrs={"td": {"class": "num"}})
    action_count = tables.Column(verbose_name=_("Actions"), attrs={"td": {"class": "num"}})

    class Meta:
        model = FollowUpProject
        fields = ["title", "lead_agency", "status", "start_date", "end_date", "budget_cad"]
        order_by = ("title",)

    def render_budget_cad(self, value):
        return number_format(value, 2, force_grouping=True)


class FollowUpActionTable(tables.Table):
    title = tables.Column(verbose_name=_("Action"))
    owner_person = tables.Column(
        verbose_name=_("Owner (person)"), order_by="owner_person__full_name"
    )
    round = tables.Column(verbose_name=_("Round"), linkify=True, order_by="round__start_date")
    project = tables.Column(verbose_name=_("Project"), linkify=True, order_by="project__title")
    owner_organization = tables.Column(verbose_name=_("Owner"), order_by="owner_organization__name")
    due_date = DateColumn(verbose_name=_("Due"))
    status = tables.Column(verbose_name=_("Status"))
    completed_on = DateColumn(verbose_name=_("Completed"))

    class Meta:
        model = FollowUpAction
        fields = ["title", "round", "project", "owner_organization", "due_date", "status"]
        sequence = ("title", "round", "project", "owner_organization", "owner_person", "...")
        order_by = ("due_date",)

    def render_title(self, record, value):
        user = getattr(self.request, "user", None)
        if user is not None and user.has_perm("followup.change_followupaction"):
            url = reverse("followup:action_edit", args=[record.pk])
            return format_html('<a href="{}">{}</a>', url, value)
        return value

    def value_title(self, value):
        return value


class BenchmarkTable(tables.Table):
    name = LocalizedNameColumn(verbose_name=_("Benchmark"), linkify=True)
    kind = tables.Column(verbose_name=_("Kind"))
    status = tables.Column(verbose_name=_("Status"))
    event_count = tables.Column(verbose_name=_("Events"), attrs={"td": {"class": "num"}})
    last_event = DateColumn(verbose_name=_("Last event"))

    class Meta:
        model = Benchmark
        fields = ["name", "kind", "status"]
        order_by = ("name",)
