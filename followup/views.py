"""Browsing follow-up projects, actions and benchmarks."""

from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Max, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dialogue.access import get_visible_or_404, record_access, visible
from dialogue.views import ListPage
from followup.filtersets import (
    BenchmarkFilterSet,
    FollowUpActionFilterSet,
    FollowUpProjectFilterSet,
)
from followup.models import Benchmark, FollowUpAction, FollowUpProject
from followup.tables import BenchmarkTable, FollowUpActionTable, FollowUpProjectTable


class FollowUpProjectListView(ListPage):
    model = FollowUpProject
    filterset_class = FollowUpProjectFilterSet
    table_class = FollowUpProjectTable
    title = _("Follow-up projects")
    select_related = ("lead_agency",)

    def annotate(self, queryset):
        seen = Q(actions__security_marking__in=self.request.user.visible_markings)
        return queryset.annotate(action_count=Count("actions", filter=seen))


class FollowUpActionListView(ListPage):
    model = FollowUpAction
    filterset_class = FollowUpActionFilterSet
    table_class = FollowUpActionTable
    title = _("Follow-up actions")
    select_related = ("round__dialogue", "project", "owner_organization")


class BenchmarkListView(ListPage):
    model = Benchmark
    filterset_class = BenchmarkFilterSet
    table_class = BenchmarkTable
    title = _("Benchmarks")

    def annotate(self, queryset):
        seen = Q(events__security_marking__in=self.request.user.visible_markings)
        return queryset.annotate(
            event_count=Count("events", filter=seen), last_event=Max("events__date", filter=seen)
        )


@permission_required("followup.view_followupproject", raise_exception=True)
def project_detail(request, pk):
    project = get_visible_or_404(
        FollowUpProject.objects.select_related("lead_agency"), request.user, pk=pk
    )
    record_access(request, project)
    user = request.user
    context = {
        "project": project,
        "title": project.title,
        "breadcrumbs": [(_("Follow-up projects"), reverse("followup:project_list"))],
        "partners": project.partner_organizations.all(),
        "topics": project.topics.all(),
        "rounds": visible(project.originating_rounds.select_related("dialogue"), user),
        "actions": visible(project.actions.select_related("owner_organization", "round"), user),
    }
    return render(request, "followup/followupproject_detail.html", context)
