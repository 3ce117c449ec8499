"""The REST API's serializers and viewsets for stakeholders: one of each per model, with the fields
it publishes listed (api/urls.py gives them their addresses)."""

from drf_spectacular.utils import extend_schema_serializer

from core.api import ScopedSerializer, ScopedViewSet
from stakeholders.filtersets import ConsultationFilterSet, OrganizationFilterSet, PersonFilterSet
from stakeholders.models import (
    Consultation,
    ConsultationRequest,
    Delegation,
    DelegationMember,
    Organization,
    Person,
)


class OrganizationSerializer(ScopedSerializer):
    class Meta:
        model = Organization
        fields = [
            "id",
            "created_at",
            "updated_at",
            "name",
            "name_fr",
            "name_zh",
            "acronym",
            "acronym_fr",
            "country",
            "kind",
            "website",
            "description",
            "created_by",
            "updated_by",
            "parent",
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by"]


class PersonSerializer(ScopedSerializer):
    class Meta:
        model = Person
        fields = [
            "id",
            "created_at",
            "updated_at",
            "security_marking",
            "full_name",
            "name_zh",
            "position",
            "country",
            "notes",
            "created_by",
            "updated_by",
            "organization",
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by"]


class DelegationSerializer(ScopedSerializer):
    class Meta:
        model = Delegation
        fields = [
            "id",
            "created_at",
            "updated_at",
            "security_marking",
            "side",
            "head_title",
            "head_rank",
            "notes",
            "created_by",
            "updated_by",
            "round",
            "head",
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by"]


class DelegationMemberSerializer(ScopedSerializer):
    class Meta:
        model = DelegationMember
        fields = [
            "id",
            "created_at",
            "updated_at",
            "role",
            "position_at_time",
            "created_by",
            "updated_by",
            "delegation",
            "person",
            "organization",
            "version",
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by", "version"]


class ConsultationSerializer(ScopedSerializer):
    class Meta:
        model = Consultation
        fields = [
            "id",
            "created_at",
            "updated_at",
            "kind",
            "date",
            "date_precision",
            "format",
            "location",
            "summary",
            "security_marking",
            "created_by",
            "updated_by",
            "dialogue",
            "round",
            "convened_by",
            "organizations",
            "version",
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by", "version"]


# "ConsultationRequest" is already the schema's name for a consultation in a request body.
@extend_schema_serializer(component_name="NgoRequest")
class ConsultationRequestSerializer(ScopedSerializer):
    class Meta:
        model = ConsultationRequest
        fields = [
            "id",
            "created_at",
            "updated_at",
            "order",
            "text",
            "answer",
            "answered_on",
            "created_by",
            "updated_by",
            "consultation",
            "version",
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by", "version"]


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
