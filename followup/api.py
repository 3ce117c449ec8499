"""The REST API's serializers and viewsets for followup: one of each per model, with the fields
it publishes listed (api/urls.py gives them their addresses)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api import ScopedSerializer, ScopedViewSet
from followup.filtersets import (
    BenchmarkFilterSet,
    FollowUpActionFilterSet,
    FollowUpProjectFilterSet,
)
from followup.models import Benchmark, BenchmarkEvent, FollowUpAction, FollowUpProject
from followup.services import OpenActionsOutcome, project_close, project_close_check


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
            "title_fr",
            "reference",
            "proposed_by",
            "status",
            "start_date",
            "end_date",
            "budget_cad",
            "objectives",
            "objectives_fr",
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
            "commitment",
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
            "commitment",
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
