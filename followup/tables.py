"""Tables for follow-up projects, actions and benchmarks."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import DateColumn, LocalizedNameColumn
from followup.models import Benchmark, FollowUpAction, FollowUpProject


class FollowUpProjectTable(tables.Table):
    title = LocalizedNameColumn(verbose_name=_("Project"), linkify=True)
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


def overdue_row(record, table, **kwargs) -> str:
    """An overdue action's row is marked (and its status says "Overdue" in words too)."""
    return "overdue" if record.is_overdue(table.today) else ""


class FollowUpActionTable(tables.Table):
    """Actions with who owns them (the assignee by name, the organization), when they are due
    and how many days late the overdue ones are."""

    title = tables.Column(verbose_name=_("Action"), linkify=True)
    round = tables.Column(verbose_name=_("Round"), linkify=True, order_by="round__start_date")
    project = tables.Column(verbose_name=_("Project"), linkify=True, order_by="project__title")
    assignee = tables.Column(
        verbose_name=_("Assignee"),
        order_by=("assignee__first_name", "assignee__last_name", "assignee__username"),
    )
    owner_organization = tables.Column(
        verbose_name=_("Organization"), order_by="owner_organization__name"
    )
    due_date = DateColumn(verbose_name=_("Due"))
    days_overdue = tables.Column(
        verbose_name=_("Days overdue"),
        empty_values=(),
        orderable=False,
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )
    status = tables.Column(verbose_name=_("Status"))
    completed_on = DateColumn(verbose_name=_("Completed"))

    class Meta:
        model = FollowUpAction
        fields = ["title", "round", "project", "assignee", "owner_organization", "due_date"]
        sequence = ("title", "round", "project", "assignee", "owner_organization", "...")
        order_by = ("due_date",)
        row_attrs = {"class": overdue_row}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()

    def render_assignee(self, value):
        return value.display_name

    def value_assignee(self, value):
        return value.display_name if value else ""

    def render_days_overdue(self, record):
        return record.days_overdue(self.today) or "—"

    def value_days_overdue(self, record):
        return record.days_overdue(self.today) or ""

    def render_status(self, record, value):
        if record.is_overdue(self.today):
            return format_html('{} <strong class="badge overdue">{}</strong>', value, _("Overdue"))
        return value

    def value_status(self, record, value):
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
