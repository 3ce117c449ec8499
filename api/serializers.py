"""One serializer per model, each naming the fields it publishes (nothing is published by default:
a new model field stays out of the API until it is listed here). The bookkeeping fields and the
version are read-only, as is an uploaded file. The clearance scoping, the model's validation and
the stale-edit check are ScopedSerializer's (api/scoping.py)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from api.scoping import ScopedSerializer
from followup.models import Benchmark, BenchmarkEvent, FollowUpAction, FollowUpProject
from followup.services import OpenActionsOutcome, project_close, project_close_check
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
from stakeholders.models import (
    Consultation,
    ConsultationRequest,
    Delegation,
    DelegationMember,
    Organization,
    Person,
)


class DialogueSerializer(ScopedSerializer):
    class Meta:
        model = Dialogue
        fields = [
            "id",
            "created_at",
            "updated_at",
            "name",
            "name_fr",
            "name_zh",
            "acronym",
            "acronym_fr",
            "slug",
            "kind",
            "lead_party",
            "partner_party",
            "other_parties",
            "start_year",
            "end_year",
            "status",
            "description",
            "source_note",
            "created_by",
            "updated_by",
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by"]


class RoundSerializer(ScopedSerializer):
    class Meta:
        model = Round
        fields = [
            "id",
            "created_at",
            "updated_at",
            "security_marking",
            "version",
            "number",
            "start_date",
            "end_date",
            "date_precision",
            "host_country",
            "cities",
            "status",
            "interpretation_mode",
            "public_statement",
            "summary",
            "source_note",
            "created_by",
            "updated_by",
            "dialogue",
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by", "version"]


class TopicSerializer(ScopedSerializer):
    class Meta:
        model = Topic
        fields = [
            "id",
            "created_at",
            "updated_at",
            "name",
            "name_fr",
            "name_zh",
            "slug",
            "category",
            "aliases",
            "description",
            "created_by",
            "updated_by",
            "parent",
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by"]


class AgendaItemSerializer(ScopedSerializer):
    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "created_at",
            "updated_at",
            "security_marking",
            "order",
            "title",
            "segment",
            "proposed_by",
            "agenda_status",
            "raised_by",
            "summary",
            "created_by",
            "updated_by",
            "round",
            "topics",
            "presenting_organizations",
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by"]


class SiteVisitSerializer(ScopedSerializer):
    class Meta:
        model = SiteVisit
        fields = [
            "id",
            "created_at",
            "updated_at",
            "security_marking",
            "city",
            "region",
            "country",
            "start_date",
            "end_date",
            "purpose",
            "institutions_note",
            "created_by",
            "updated_by",
            "round",
            "topics",
            "institutions",
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by"]


class MaterialSerializer(ScopedSerializer):
    class Meta:
        model = Material
        fields = [
            "id",
            "created_at",
            "updated_at",
            "security_marking",
            "title",
            "provided_by",
            "kind",
            "in_english",
            "in_french",
            "in_chinese",
            "shared_in_advance",
            "shared_on",
            "file",
            "notes",
            "created_by",
            "updated_by",
            "round",
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by", "file"]


class CaseOfConcernSerializer(ScopedSerializer):
    class Meta:
        model = CaseOfConcern
        fields = [
            "id",
            "created_at",
            "updated_at",
            "version",
            "name",
            "name_zh",
            "aliases",
            "province",
            "category",
            "detention_type",
            "detained_on",
            "sentence",
            "status",
            "summary",
            "sources",
            "security_marking",
            "created_by",
            "updated_by",
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by", "version"]


class CaseRaisingSerializer(ScopedSerializer):
    class Meta:
        model = CaseRaising
        fields = [
            "id",
            "created_at",
            "updated_at",
            "raised_by",
            "response",
            "response_date",
            "response_summary",
            "security_marking",
            "created_by",
            "updated_by",
            "case",
            "round",
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by"]


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
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by"]


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
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by"]


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
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by"]


class FollowUpProjectSerializer(ScopedSerializer):
    """A project is completed or cancelled only once the client says what becomes of its open
    actions (`open_actions`), as on the project's page: without it, the change is refused."""

    open_actions = serializers.ChoiceField(
        choices=OpenActionsOutcome.choices,
        required=False,
        write_only=True,
        help_text=_(
            "When completing or cancelling a project that has open actions: what becomes of "
            "them (done today, or dropped). Without it, the change is refused."
        ),
    )

    class Meta:
        model = FollowUpProject
        fields = [
            "id",
            "created_at",
            "updated_at",
            "security_marking",
            "version",
            "title",
            "reference",
            "proposed_by",
            "status",
            "start_date",
            "end_date",
            "budget_cad",
            "objectives",
            "results",
            "created_by",
            "updated_by",
            "lead_agency",
            "partner_organizations",
            "topics",
            "originating_rounds",
            "open_actions",
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by", "version"]

    def validate(self, attrs):
        outcome = attrs.pop("open_actions", "")
        attrs = super().validate(attrs)  # the version, the references, the model's own rules
        if self.instance is not None and "status" in attrs:
            try:
                project_close_check(
                    project=self.instance,
                    status=attrs["status"],
                    user=self.context["request"].user,
                    open_actions=outcome,
                )
            except DjangoValidationError as error:
                raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        return {**attrs, "open_actions": outcome}

    def create(self, validated_data):
        validated_data.pop("open_actions", None)  # a new project has no actions yet
        return super().create(validated_data)

    def update(self, instance, validated_data):
        outcome = validated_data.pop("open_actions", "")
        with transaction.atomic():
            project = super().update(instance, validated_data)
            project_close(project=project, user=self.context["request"].user, open_actions=outcome)
        return project


class FollowUpActionSerializer(ScopedSerializer):
    class Meta:
        model = FollowUpAction
        fields = [
            "id",
            "created_at",
            "updated_at",
            "security_marking",
            "version",
            "title",
            "description",
            "due_date",
            "status",
            "completed_on",
            "created_by",
            "updated_by",
            "round",
            "project",
            "owner_organization",
            "owner_person",
            "assignee",
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by", "version"]


class BenchmarkSerializer(ScopedSerializer):
    class Meta:
        model = Benchmark
        fields = [
            "id",
            "created_at",
            "updated_at",
            "security_marking",
            "name",
            "name_fr",
            "name_zh",
            "kind",
            "target",
            "status",
            "description",
            "created_by",
            "updated_by",
            "topics",
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by"]


class BenchmarkEventSerializer(ScopedSerializer):
    class Meta:
        model = BenchmarkEvent
        fields = [
            "id",
            "created_at",
            "updated_at",
            "security_marking",
            "date",
            "date_precision",
            "kind",
            "direction",
            "title",
            "description",
            "source",
            "source_url",
            "created_by",
            "updated_by",
            "benchmark",
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by"]
