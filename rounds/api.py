"""The REST API's serializers and viewsets for rounds: one of each per model, with the fields
it publishes listed (api/urls.py gives them their addresses)."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import ScopedSerializer, ScopedViewSet
from core.models import within_clearance
from rounds.filtersets import CaseFilterSet, RoundFilterSet, TopicFilterSet
from rounds.models import (
    AgendaItem,
    CaseOfConcern,
    CaseRaising,
    Commitment,
    Dialogue,
    Material,
    Round,
    SiteVisit,
    Topic,
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
            "standing",
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
            "our_points",
            "partner_answer",
            "created_by",
            "updated_by",
            "round",
            "topics",
            "presenting_organizations",
            "version",
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by", "version"]


class CommitmentSerializer(ScopedSerializer):
    class Meta:
        model = Commitment
        fields = [
            "id",
            "created_at",
            "updated_at",
            "security_marking",
            "version",
            "round",
            "agenda_item",
            "side",
            "undertaken_by",
            "text",
            "due_date",
            "status",
            "status_changed_on",
            "evidence",
            "created_by",
            "updated_by",
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by", "version"]


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
            "version",
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by", "version"]


class MaterialSerializer(ScopedSerializer):
    files = serializers.SerializerMethodField(
        help_text=_(
            "The address to download the material's file in each language (en, fr, zh) "
            "from, or null; the address is a page of the site, for a signed-in user."
        )
    )

    class Meta:
        model = Material
        fields = [
            "id",
            "version",
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
            "files",
            "notes",
            "created_by",
            "updated_by",
            "round",
        ]
        read_only_fields = ["created_at", "created_by", "updated_at", "updated_by", "version"]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                code: {"type": "string", "format": "uri", "nullable": True}
                for code in Material.LANGUAGES
            },
        }
    )
    def get_files(self, material) -> dict:
        request = self.context["request"]
        return {
            code: request.build_absolute_uri(material.file_url(code))
            if material.file_in(code)
            else None
            for code in Material.LANGUAGES
        }


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


class CommitmentViewSet(ScopedViewSet):
    """Commitments the user may see, with their round."""

    queryset = Commitment.objects.none()
    serializer_class = CommitmentSerializer
    filterset_fields = ["round", "agenda_item", "side", "status"]


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
