"""Views every app shares: the list page machinery, the dashboard and site-wide search."""

import datetime

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from dialogue import selectors
from dialogue.access import require_view, visible


class ListPage(ExportMixin, SingleTableMixin, FilterView):
    """A filtered, sortable, paginated list; `?format=csv` exports every filtered row.

    Subclasses declare the model, a FilterSet, a Table, a title and the related rows to fetch;
    the rows are always scoped to what the user may see.
    """

    template_name = "includes/list_page.html"
    export_trigger_param = "format"
    export_formats = ("csv",)
    table_pagination = {"per_page": 25}
    title = ""
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        require_view(request.user, self.model)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        queryset = visible(self.model, self.request.user)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        return self.annotate(queryset)

    def annotate(self, queryset):
        return queryset

    def get_template_names(self):
        # A filter change, a sort or a page link refreshes only the results (#results).
        if self.request.htmx and self.request.htmx.target == "results":
            return [f"{self.template_name}#results"]
        return [self.template_name]

    def get_export_filename(self, export_format):
        stem = str(self.model._meta.verbose_name_plural).replace(" ", "-")
        return f"{stem}-{datetime.date.today():%Y-%m-%d}.{export_format}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, **kwargs)


def dashboard(request):
    if not request.user.has_perm("rounds.view_round"):
        # Signed in but given no role yet: say so rather than show an empty dashboard.
        return render(request, "dashboard.html", {"title": _("Dashboard"), "no_role": True})
    context = selectors.dashboard(user=request.user, dialogue_slug=request.GET.get("dialogue"))
    return render(request, "dashboard.html", {"title": _("Dashboard"), **context})


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    groups = selectors.search(query=query, user=request.user) if query else []
    return render(
        request,
        "search.html",
        {"query": query, "groups": groups, "title": _("Search")},
    )
