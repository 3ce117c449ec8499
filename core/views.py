"""Views every app shares: the list and edit page machinery, record history and the access log."""

import datetime

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin
from django_tables2.export import ExportMixin
from django_tables2.utils import OrderBy

from core import history, submissions
from core.access import (
    get_visible_or_404,
    record_access,
    require_view,
    sees_everything_through,
    visible,
)
from core.filters import scope_filters
from core.forms import stamp
from core.models import AccessLogEntry, SecurityMarking, StaleEdit
from core.tables import PageFirstData

# Reports page their tables: at scale they would list hundreds of topics or rounds.
REPORT_ROWS = 50


def paginate(request, rows, *, param="page"):
    """One page of a report's rows, by `?<param>=`; a report with two paged tables gives each
    its own parameter. Out-of-range or bad numbers give the nearest page, never an error."""
    page = Paginator(rows, REPORT_ROWS).get_page(request.GET.get(param))
    page.param = param
    return page


class ListPage(ExportMixin, SingleTableMixin, FilterView):
    """A filtered, sortable, paginated list; `?format=csv` or `?format=xlsx` exports every
    filtered row.

    Subclasses declare the model, a FilterSet, a Table, a title and the related rows to fetch;
    the rows are always scoped to what the user may see.
    """

    template_name = "includes/list_page.html"
    export_trigger_param = "format"
    export_formats = ("csv", "xlsx")
    table_pagination = {"per_page": 25}
    title = ""
    select_related: tuple[str, ...] = ()
    # (permission, URL name, label) of the page that adds a record, offered to those who may.
    create: tuple[str, str, str] | None = None
    # (URL, label) of related views, shown under the title.
    links: tuple[tuple[str, str], ...] = ()

    def dispatch(self, request, *args, **kwargs):
        require_view(request.user, self.model)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        queryset = visible(self.model, self.request.user)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return self.annotate(queryset)

    def annotate(self, queryset):
        return queryset

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        scope_filters(filterset, self.request.user)
        return filterset

    def annotate_page(self, records: list) -> None:
        """Add to the page's records what is cheaper to read for 25 rows than for the table."""

    def get_table(self, **kwargs):
        table = self.get_table_class()(data=PageFirstData(self.get_table_data()), **kwargs)
        self.unsort_hidden_references(table)
        table = RequestConfig(self.request, paginate=self.get_table_pagination(table)).configure(
            table
        )
        if getattr(table, "page", None) is not None:
            # The page's rows, read once and kept, so that what annotate_page adds is shown.
            rows = list(table.page.object_list)
            self.annotate_page([row.record for row in rows])
            table.page.object_list = rows
        return table

    def unsort_hidden_references(self, table) -> None:
        """A column sorted through a reference to records the user may not all see (an
        action's project, a consultation's round) would order the rows by those records' names
        or dates: it is not sortable for them, on the page or in its export."""
        for column in table.columns.iterall():
            paths = [OrderBy(alias).bare.replace(".", "__") for alias in column.order_by]
            if not all(
                sees_everything_through(self.model, path, self.request.user) for path in paths
            ):
                column.column.orderable = False
        if table.order_by:  # the default order, given before the columns were looked at
            table.order_by = table.order_by

    def get_template_names(self):
        # A filter change, a sort or a page link refreshes only the results (#results).
        if self.request.htmx and self.request.htmx.target == "results":
            return [f"{self.template_name}#results"]
        return [self.template_name]

    def get_export_filename(self, export_format):
        stem = str(self.model._meta.verbose_name_plural).replace(" ", "-")
        return f"{stem}-{datetime.date.today():%Y-%m-%d}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(title=self.title, links=self.links, **kwargs)
        if self.create and self.request.user.has_perm(self.create[0]):
            context["create_url"], context["create_label"] = reverse(self.create[1]), self.create[2]
        return context


def locked_out(request, response=None, credentials=None, *args, **kwargs):
    """What django-axes answers once a username is locked out from an address."""
    context = {"hours": settings.AXES_COOLOFF_TIME, "title": _("Sign-in locked")}
    return render(request, "registration/locked_out.html", context, status=429)


# -- history and audit --------------------------------------------------------------------------


def _audited_model(app_label, model_name):
    try:
        model = django_apps.get_model(app_label, model_name)
    except (LookupError, ValueError) as exc:
        raise Http404 from exc
    if not history.is_audited(model):
        raise Http404
    return model


def record_history(request, app_label, model_name, pk):
    """Every version of one record the user may see, with the fields each change touched."""
    model = _audited_model(app_label, model_name)
    require_view(request.user, model)
    obj = get_visible_or_404(model, request.user, pk=pk)
    record_access(request, obj)
    context = {
        "object": obj,
        "title": _("History of %(record)s") % {"record": obj},
        "revisions": history.revisions(obj, user=request.user),
        "breadcrumbs": _object_breadcrumbs(obj),
    }
    return render(request, "history/record_history.html", context)


def _object_breadcrumbs(obj):
    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None
    return [(str(obj), url)] if url else []


def _require_administrator(user):
    if not user.is_administrator:
        raise PermissionDenied


def recent_changes(request):
    """The latest changes across every kind of record, for administrators."""
    _require_administrator(request.user)
    return render(
        request,
        "history/recent_changes.html",
        {"title": _("Recent changes"), "entries": history.recent_changes(user=request.user)},
    )


def access_log(request):
    """Who opened which Protected B record, for administrators cleared to Protected B (the log
    names the records, so it is as sensitive as they are)."""
    _require_administrator(request.user)
    if SecurityMarking.PROTECTED_B not in request.user.visible_markings:
        raise PermissionDenied
    entries = visible(AccessLogEntry, request.user).select_related("content_type")[:500]
    return render(
        request, "history/access_log.html", {"title": _("Access log"), "entries": entries}
    )


# -- editing records in the product's own pages -------------------------------------------------


class EditPage(PermissionRequiredMixin):
    """Shared by the create and edit pages: the user's own choices, stamps, notices, no lost edits.

    A subclass of CreateView or UpdateView names the model, a ScopedForm, the permission and the
    notice; GET shows the form, POST saves it, and a refused save keeps every entry.
    """

    template_name = "includes/form_page.html"
    raise_exception = True
    success_message = _("Saved “%(record)s”.")
    cancel_url = None

    def get_queryset(self):
        return visible(self.model, self.request.user)

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        record_access(self.request, obj)
        return obj

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            # A create form sent again (a second click on Save) creates nothing the second time.
            submissions.refuse_repeat(self.sent_once(form))
            stamp(form.instance, self.request.user, is_new=form.instance.pk is None)
            with submissions.saving_once(self.sent_once(form), self.request.user) as settle:
                self.object = form.save()
                self.after_save(form)
                url = self.get_success_url()
                settle(url)
        except submissions.AlreadySubmitted as repeat:
            return self.answer_again(repeat.submission)
        except StaleEdit:
            form.add_error(
                None,
                _(
                    "Someone else saved this record at the same moment; your changes were not "
                    "saved. Check the values and save again."
                ),
            )
            return self.form_invalid(form)
        messages.success(self.request, self.success_message % {"record": self.object})
        return HttpResponseRedirect(url)

    def form_invalid(self, form):
        # Sent again after the first sending created the record, the form may no longer be
        # valid (a round of that number exists now): the answer is still the first one's.
        found = submissions.earlier(self.sent_once(form))
        if found is not None:
            return self.answer_again(found)
        return super().form_invalid(form)

    def sent_once(self, form) -> list:
        """The forms whose records the save creates, each sent once (core/submissions.py)."""
        return [form]

    def answer_again(self, submission):
        return submissions.answer_again(self.request, submission, fallback=self.get_cancel_url())

    def after_save(self, form) -> None:
        """Further writes that belong to the same transaction as the save."""

    def next_url(self) -> str | None:
        """Where the form was opened from, if that is a page of this site."""
        target = self.request.POST.get("next") or self.request.GET.get("next")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return None

    def get_success_url(self):
        return self.next_url() or super().get_success_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("title", self.get_title())
        context["next"] = self.next_url() or ""
        context["cancel_url"] = context["next"] or self.get_cancel_url()
        return context

    def get_title(self) -> str:
        if getattr(self, "object", None) is not None and self.object.pk:
            return _("Edit “%(record)s”") % {"record": self.object}
        return _("New %(kind)s") % {"kind": self.model._meta.verbose_name}

    def get_cancel_url(self) -> str:
        obj = getattr(self, "object", None)
        if obj is not None and obj.pk and hasattr(obj, "get_absolute_url"):
            return obj.get_absolute_url()
        return self.cancel_url or reverse("dashboard")
