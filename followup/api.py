"""The REST API's serializers and viewsets for followup: one of each per model, with the fields
it publishes listed (api/urls.py gives them their addresses)."""

from core.api import ScopedSerializer, ScopedViewSet
from followup.filtersets import (
    BenchmarkFilterSet,
    FollowUpActionFilterSet,
    FollowUpProjectFilterSet,
)
from followup.models import Benchmark, BenchmarkEvent, FollowUpAction, FollowUpProject


class FollowUpProjectSerializer(ScopedSerializer):
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
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by", "version"]


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
