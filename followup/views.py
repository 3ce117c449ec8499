"""Browsing follow-up projects, actions and benchmarks."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Max, OuterRef
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import CreateView, UpdateView

from core import history, reportcache
from core.access import get_visible_or_404, record_access, visible
from core.expressions import count
from core.models import within_clearance
from core.views import EditPage, ListPage
from followup import caching, selectors
from followup.filtersets import (
    BenchmarkFilterSet,
    FollowUpActionFilterSet,
    FollowUpProjectFilterSet,
)
from followup.forms import ActionForm, ProjectForm
from followup.models import Benchmark, FollowUpAction, FollowUpProject
from followup.tables import BenchmarkTable, FollowUpActionTable, FollowUpProjectTable
from rounds.models import Commitment, Round, Topic


class FollowUpProjectListView(ListPage):
    model = FollowUpProject
    filterset_class = FollowUpProjectFilterSet
    table_class = FollowUpProjectTable
    title = _("Follow-up projects")
    select_related = ("lead_agency",)
    create = ("followup.add_followupproject", "followup:project_create", _("New project"))
    links = (
        (reverse_lazy("followup:board"), _("Planning board")),
        (reverse_lazy("reports:coverage"), _("Follow-up coverage")),
        (reverse_lazy("followup:benchmark_list"), _("Benchmarks")),
    )

    def annotate(self, queryset):
        actions = FollowUpAction.objects.visible_to(self.request.user).filter(
            project=OuterRef("pk")
        )
        return queryset.annotate(action_count=count(actions.values("pk")))


class FollowUpActionListView(ListPage):
    model = FollowUpAction
    filterset_class = FollowUpActionFilterSet
    table_class = FollowUpActionTable
    title = _("Follow-up actions")
    select_related = ("round__dialogue", "project", "owner_organization", "assignee")
    create = ("followup.add_followupaction", "followup:action_create", _("New action"))
    links = (
        (format_lazy("{}?mine=true", reverse_lazy("followup:action_list")), _("My actions")),
        (reverse_lazy("followup:action_overdue"), _("Overdue actions")),
    )


class OverdueActionListView(FollowUpActionListView):
    title = _("Overdue follow-up actions")
    links = ((reverse_lazy("followup:action_list"), _("All actions")),)

    def annotate(self, queryset):
        return queryset.overdue()


class BenchmarkListView(ListPage):
    model = Benchmark
    filterset_class = BenchmarkFilterSet
    table_class = BenchmarkTable
    title = _("Benchmarks")

    def annotate(self, queryset):
        seen = within_clearance(self.request.user, "events")
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
        "title": project.display_name,
        "breadcrumbs": [(_("Follow-up projects"), reverse("followup:project_list"))],
        "partners": project.partner_organizations.all(),
        "topics": project.topics.all(),
        "rounds": visible(project.originating_rounds.select_related("dialogue"), user),
        "actions": visible(
            project.actions.select_related("owner_organization", "round", "assignee"), user
        ),
        "today": timezone.localdate(),
    }
    context["timeline"] = selectors.project_timeline(
        project, list(context["rounds"]), list(context["actions"])
    )
    return render(request, "followup/followupproject_detail.html", context)


@permission_required("followup.view_followupaction", raise_exception=True)
def action_detail(request, pk):
    """One action, read-only: what it is, who owns it, when it is due, where it comes from,
    and its history, for every role that may see it (404 for a reader who may not)."""
    action = get_visible_or_404(
        FollowUpAction.objects.select_related(
            "round__dialogue",
            "project",
            "commitment__round__dialogue",
            "owner_organization",
            "owner_person",
            "assignee",
        ),
        request.user,
        pk=pk,
    )
    record_access(request, action)
    today = timezone.localdate()
    context = {
        "action": action,
        "title": action.title,
        "breadcrumbs": [(_("Follow-up actions"), reverse("followup:action_list"))],
        "overdue_days": action.days_overdue(today),
        "revisions": history.revisions(action, user=request.user),
    }
    return render(request, "followup/followupaction_detail.html", context)


@permission_required("followup.view_benchmark", raise_exception=True)
def benchmark_detail(request, pk):
    benchmark = get_visible_or_404(Benchmark, request.user, pk=pk)
    record_access(request, benchmark)
    context = {
        "benchmark": benchmark,
        "title": benchmark.display_name,
        "breadcrumbs": [(_("Benchmarks"), reverse("followup:benchmark_list"))],
        **selectors.benchmark_page(benchmark=benchmark, user=request.user),
    }
    return render(request, "followup/benchmark_detail.html", context)


@permission_required("followup.view_followupproject", raise_exception=True)
def board(request):
    """Projects in columns by status, filtered by agency, partner, topic and year."""

    def context():
        filterset = FollowUpProjectFilterSet(
            request.GET, queryset=visible(FollowUpProject, request.user), request=request
        )
        del filterset.form.fields["status"]  # the columns are the statuses
        projects = filterset.qs if filterset.is_valid() else FollowUpProject.objects.none()
        return {
            "form": filterset.form,
            "columns": selectors.board(projects, user=request.user),
        }

    return reportcache.render_report(
        request,
        caching.BOARD,
        "followup/board.html",
        context,
        title=_("Planning board"),
        breadcrumbs=[(_("Follow-up projects"), reverse("followup:project_list"))],
    )


# -- planning: create and edit ------------------------------------------------------------------


def _visible_pk(model, user, value):
    """The primary key in a query string, if it names a record the user may see."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return pk if visible(model, user).filter(pk=pk).exists() else None


class ProjectFormMixin(EditPage):
    model = FollowUpProject
    form_class = ProjectForm
    cancel_url = reverse_lazy("followup:project_list")

    def after_save(self, form):
        settled = form.close()
        if settled:
            messages.info(
                self.request,
                ngettext(
                    "%(count)d open action was closed with the project.",
                    "%(count)d open actions were closed with the project.",
                    settled,
                )
                % {"count": settled},
            )


class ProjectCreate(ProjectFormMixin, CreateView):
    permission_required = "followup.add_followupproject"
    success_message = _("Project “%(record)s” created.")

    def get_initial(self):
        user = self.request.user
        initial = {}
        round_pk = _visible_pk(Round, user, self.request.GET.get("round"))
        if round_pk:
            initial["originating_rounds"] = [round_pk]
        topic = Topic.objects.filter(slug=self.request.GET.get("topic", "")).first()
        if topic:
            initial["topics"] = [topic.pk]
        return initial


class ProjectEdit(ProjectFormMixin, UpdateView):
    permission_required = "followup.change_followupproject"
    success_message = _("Project “%(record)s” saved.")


class ActionFormMixin(EditPage):
    model = FollowUpAction
    form_class = ActionForm
    cancel_url = reverse_lazy("followup:action_list")

    def get_success_url(self):
        # Its project's page, else its round's: a parent the user may not see is the
        # placeholder, which has no address (then the action's own page).
        for parent in (self.object.project, self.object.round, self.object):
            url = parent.get_absolute_url() if parent is not None else None
            if url:
                return self.next_url() or url


class ActionCreate(ActionFormMixin, CreateView):
    permission_required = "followup.add_followupaction"
    success_message = _("Action “%(record)s” added.")

    def get_initial(self):
        user = self.request.user
        initial = {
            "round": _visible_pk(Round, user, self.request.GET.get("round")),
            "project": _visible_pk(FollowUpProject, user, self.request.GET.get("project")),
            "commitment": _visible_pk(Commitment, user, self.request.GET.get("commitment")),
        }
        return {key: value for key, value in initial.items() if value}


class ActionEdit(ActionFormMixin, UpdateView):
    permission_required = "followup.change_followupaction"
    success_message = _("Action “%(record)s” saved.")
