"""The REST API: every model, listed with the pages' filters, scoped to the user's clearance."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, ProtectedError, Q
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.defaults import page_not_found, server_error
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, status, viewsets
from rest_framework.views import exception_handler as drf_exception_handler

from api.permissions import RolePermissions
from api.serializers import serializer_for
from core.access import delete_blocked_by_hidden, record_access, visible
from core.filters import scope_filters
from core.models import StaleEdit
from core.references import guarded_relations
from followup.filtersets import (
    BenchmarkFilterSet,
    FollowUpActionFilterSet,
    FollowUpProjectFilterSet,
)
from followup.models import Benchmark, BenchmarkEvent, FollowUpAction, FollowUpProject
from rounds.filtersets import CaseFilterSet, RoundFilterSet, TopicFilterSet
from rounds.models import (
    AgendaItem,
    CaseOfConcern,
    CaseRaising,
    Dialogue,
    Material,
    Round,
    SiteVisit,
    Topic,
)
from stakeholders.filtersets import ConsultationFilterSet, OrganizationFilterSet, PersonFilterSet
from stakeholders.models import (
    Consultation,
    ConsultationRequest,
    Delegation,
    DelegationMember,
    Organization,
    Person,
)


class InUse(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Other records depend on this one, so it cannot be deleted.")
    default_code = "in_use"


class HiddenDependents(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _(
        "Records you cannot see depend on this one, so it cannot be deleted; ask someone "
        "cleared to see them."
    )
    default_code = "hidden_dependents"


class Stale(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _(
        "Someone else saved this record at the same moment; your changes were not saved. "
        "Fetch it again and reapply them."
    )
    default_code = "stale"


class ScopedFilterBackend(DjangoFilterBackend):
    """The FilterSet's choices of related records are those the caller may see, so filtering
    by a hidden record's key is refused as for a key that does not exist."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            scope_filters(filterset, request.user)
        return filterset


class ScopedViewSet(viewsets.ModelViewSet):
    """List, read, create, update and delete one model, for the roles that may.

    Records are those the user may see (`visible_to`), many-to-many links are fetched in one
    query each, so a page of results costs the same number of queries whatever its size.
    """

    model = None
    permission_classes = [RolePermissions]
    filter_backends = [ScopedFilterBackend]
    lookup_value_converter = "int"

    def get_queryset(self):
        queryset = visible(self.model, self.request.user)
        many = [field.name for field in self.model._meta.many_to_many]
        if many:
            queryset = queryset.prefetch_related(*many)
        # Read with the records, so that a reference the caller may not see is told apart
        # without a query per record.
        single = [f.name for f in guarded_relations(self.model) if not f.many_to_many]
        if single:
            queryset = queryset.select_related(*single)
        return self.annotate(queryset).order_by(*(self.model._meta.ordering or []), "pk")

    def annotate(self, queryset):
        return queryset

    def retrieve(self, request, *args, **kwargs):
        record_access(request, self.get_object())
        return super().retrieve(request, *args, **kwargs)

    def perform_update(self, serializer):
        try:
            super().perform_update(serializer)
        except StaleEdit as error:  # lost the race between the version check and the save
            raise Stale from error

    def perform_destroy(self, instance):
        if delete_blocked_by_hidden(self.request.user, instance):
            raise HiddenDependents
        try:
            instance.delete()
        except ProtectedError as error:
            raise InUse from error


class CaseViewSet(ScopedViewSet):
    def annotate(self, queryset):
        seen = Q(raisings__security_marking__in=self.request.user.visible_markings)
        return queryset.annotate(raising_count=Count("raisings", filter=seen, distinct=True))


# (URL prefix, model, FilterSet or the fields to filter on, viewset)
RESOURCES = [
    ("dialogues", Dialogue, ["kind", "status", "slug"], ScopedViewSet),
    ("rounds", Round, RoundFilterSet, ScopedViewSet),
    ("topics", Topic, TopicFilterSet, ScopedViewSet),
    ("agenda-items", AgendaItem, ["round", "segment", "agenda_status"], ScopedViewSet),
    ("site-visits", SiteVisit, ["round"], ScopedViewSet),
    ("materials", Material, ["round", "provided_by", "kind"], ScopedViewSet),
    ("cases", CaseOfConcern, CaseFilterSet, CaseViewSet),
    ("case-raisings", CaseRaising, ["case", "round", "response"], ScopedViewSet),
    ("organizations", Organization, OrganizationFilterSet, ScopedViewSet),
    ("people", Person, PersonFilterSet, ScopedViewSet),
    ("delegations", Delegation, ["round", "side"], ScopedViewSet),
    (
        "delegation-members",
        DelegationMember,
        ["delegation", "person", "organization"],
        ScopedViewSet,
    ),
    ("consultations", Consultation, ConsultationFilterSet, ScopedViewSet),
    ("consultation-requests", ConsultationRequest, ["consultation"], ScopedViewSet),
    ("projects", FollowUpProject, FollowUpProjectFilterSet, ScopedViewSet),
    ("actions", FollowUpAction, FollowUpActionFilterSet, ScopedViewSet),
    ("benchmarks", Benchmark, BenchmarkFilterSet, ScopedViewSet),
    ("benchmark-events", BenchmarkEvent, ["benchmark", "kind", "direction"], ScopedViewSet),
]


def viewset_for(model, filters, base):
    attributes = {
        "model": model,
        "queryset": model._default_manager.none(),  # for the router and the schema only
        # "ConsultationRequest" is already the name of a consultation in a request body.
        "serializer_class": serializer_for(
            model, name="NgoRequest" if model is ConsultationRequest else None
        ),
        "__module__": __name__,
        "__doc__": _("%(records)s the user may see.")
        % {"records": str(model._meta.verbose_name_plural).capitalize()},
    }
    if isinstance(filters, list):
        attributes["filterset_fields"] = filters
    else:
        attributes["filterset_class"] = filters
    return type(f"{model.__name__}ViewSet", (base,), attributes)


def not_found(request, exception=None):
    """An unknown address under /api/ is answered in JSON, like every other API error."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(_("Not found."))}, status=404)
    return page_not_found(request, exception)


def server_error_handler(request):
    """A server error under /api/ is answered in JSON too, saying nothing of its cause."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(_("A server error occurred."))}, status=500)
    return server_error(request)


def exception_handler(exc, context):
    """DRF's answers, and a Django validation error (a model's or a filter's rule) as a 400
    in the same shape rather than a server error."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    return drf_exception_handler(exc, context)
