"""The REST API: one viewset per model, with the pages' filters, scoped to the user's clearance
(ScopedViewSet, in api/scoping.py); api/urls.py registers them. And the API's answers to errors."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.defaults import page_not_found, server_error
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from api.scoping import ScopedViewSet
from api.serializers import (
    AgendaItemSerializer,
    BenchmarkEventSerializer,
    BenchmarkSerializer,
    CaseOfConcernSerializer,
    CaseRaisingSerializer,
    ConsultationRequestSerializer,
    ConsultationSerializer,
    DelegationMemberSerializer,
    DelegationSerializer,
    DialogueSerializer,
    FollowUpActionSerializer,
    FollowUpProjectSerializer,
    MaterialSerializer,
    OrganizationSerializer,
    PersonSerializer,
    RoundSerializer,
    SiteVisitSerializer,
    TopicSerializer,
)
from core.models import within_clearance
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


class DialogueViewSet(ScopedViewSet):
    """Dialogues the user may see."""

    queryset = Dialogue.objects.none()
    serializer_class = DialogueSerializer
    filterset_fields = ["kind", "status", "slug"]


class RoundViewSet(ScopedViewSet):
    """Rounds the user may see."""

    queryset = Round.objects.none()
    serializer_class = RoundSerializer
    filterset_class = RoundFilterSet


class TopicViewSet(ScopedViewSet):
    """Topics the user may see."""

    queryset = Topic.objects.none()
    serializer_class = TopicSerializer
    filterset_class = TopicFilterSet


class AgendaItemViewSet(ScopedViewSet):
    """Agenda items the user may see."""

    queryset = AgendaItem.objects.none()
    serializer_class = AgendaItemSerializer
    filterset_fields = ["round", "segment", "agenda_status"]


class SiteVisitViewSet(ScopedViewSet):
    """Site visits the user may see."""

    queryset = SiteVisit.objects.none()
    serializer_class = SiteVisitSerializer
    filterset_fields = ["round"]


class MaterialViewSet(ScopedViewSet):
    """Materials the user may see."""

    queryset = Material.objects.none()
    serializer_class = MaterialSerializer
    filterset_fields = ["round", "provided_by", "kind"]


class CaseOfConcernViewSet(ScopedViewSet):
    """Cases of concern the user may see."""

    queryset = CaseOfConcern.objects.none()
    serializer_class = CaseOfConcernSerializer
    filterset_class = CaseFilterSet

    def annotate(self, queryset):
        seen = within_clearance(self.request.user, "raisings")
        return queryset.annotate(raising_count=Count("raisings", filter=seen, distinct=True))


class CaseRaisingViewSet(ScopedViewSet):
    """Raisings of cases the user may see."""

    queryset = CaseRaising.objects.none()
    serializer_class = CaseRaisingSerializer
    filterset_fields = ["case", "round", "response"]


class OrganizationViewSet(ScopedViewSet):
    """Organizations the user may see."""

    queryset = Organization.objects.none()
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet


class PersonViewSet(ScopedViewSet):
    """People the user may see."""

    queryset = Person.objects.none()
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet


class DelegationViewSet(ScopedViewSet):
    """Delegations the user may see."""

    queryset = Delegation.objects.none()
    serializer_class = DelegationSerializer
    filterset_fields = ["round", "side"]


class DelegationMemberViewSet(ScopedViewSet):
    """Delegation members the user may see."""

    queryset = DelegationMember.objects.none()
    serializer_class = DelegationMemberSerializer
    filterset_fields = ["delegation", "person", "organization"]


class ConsultationViewSet(ScopedViewSet):
    """Consultations the user may see."""

    queryset = Consultation.objects.none()
    serializer_class = ConsultationSerializer
    filterset_class = ConsultationFilterSet


class ConsultationRequestViewSet(ScopedViewSet):
    """Requests from consultations the user may see."""

    queryset = ConsultationRequest.objects.none()
    serializer_class = ConsultationRequestSerializer
    filterset_fields = ["consultation"]


class FollowUpProjectViewSet(ScopedViewSet):
    """Follow-up projects the user may see."""

    queryset = FollowUpProject.objects.none()
    serializer_class = FollowUpProjectSerializer
    filterset_class = FollowUpProjectFilterSet


class FollowUpActionViewSet(ScopedViewSet):
    """Follow-up actions the user may see."""

    queryset = FollowUpAction.objects.none()
    serializer_class = FollowUpActionSerializer
    filterset_class = FollowUpActionFilterSet


class BenchmarkViewSet(ScopedViewSet):
    """Benchmarks the user may see."""

    queryset = Benchmark.objects.none()
    serializer_class = BenchmarkSerializer
    filterset_class = BenchmarkFilterSet


class BenchmarkEventViewSet(ScopedViewSet):
    """Benchmark events the user may see."""

    queryset = BenchmarkEvent.objects.none()
    serializer_class = BenchmarkEventSerializer
    filterset_fields = ["benchmark", "kind", "direction"]


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
