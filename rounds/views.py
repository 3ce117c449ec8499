"""Browsing rounds and topics: lists, detail pages, topic continuity and cross-dialogue overlap;
and downloading a material's files."""

import logging

from django.contrib.auth.decorators import permission_required
from django.db.models import DateField, OuterRef
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from core import documents
from core.access import get_visible_or_404, record_access
from core.expressions import count, largest
from core.models import within_clearance
from core.views import ListPage
from rounds import selectors
from rounds.filtersets import CaseFilterSet, RoundFilterSet, TopicFilterSet
from rounds.models import CaseOfConcern, CaseRaising, Dialogue, Material, Round, Topic
from rounds.tables import CaseTable, RoundTable, TopicTable

logger = logging.getLogger(__name__)


class RoundListView(ListPage):
    model = Round
    filterset_class = RoundFilterSet
    table_class = RoundTable
    title = _("Rounds")
    select_related = ("dialogue",)
    links = ((reverse_lazy("reports:translation_gap"), _("Materials and the translation gap")),)

    def annotate(self, queryset):
        topics = Topic.objects.filter(
            within_clearance(self.request.user, "agenda_items"), agenda_items__round=OuterRef("pk")
        )
        return queryset.annotate(topic_count=count(topics.values("pk").distinct()))


class TopicListView(ListPage):
    model = Topic
    filterset_class = TopicFilterSet
    table_class = TopicTable
    title = _("Topics")

    def annotate(self, queryset):
        # Sorted by a count, or exported whole, the database counts for every topic; otherwise
        # only the page's topics are counted, once the page is cut (annotate_page).
        sort = self.request.GET.get("sort", "").lstrip("-")
        if sort in selectors.TOPIC_COUNTS or self.request.GET.get("format"):
            return selectors.topics_with_counts(queryset, user=self.request.user)
        return selectors.topics_with_counts(queryset, user=self.request.user, counts=False)

    def annotate_page(self, topics):
        if topics and not hasattr(topics[0], "times_raised"):
            selectors.topic_counts(topics, user=self.request.user)


@permission_required("rounds.view_round", raise_exception=True)
def round_detail(request, pk):
    round_ = get_visible_or_404(Round.objects.select_related("dialogue"), request.user, pk=pk)
    record_access(request, round_)
    context = selectors.round_page(round_=round_, user=request.user)
    breadcrumbs = [(_("Rounds"), reverse("rounds:round_list"))]
    return render(
        request,
        "rounds/round_detail.html",
        {"round": round_, "title": str(round_), "breadcrumbs": breadcrumbs, **context},
    )


@permission_required("rounds.view_dialogue", raise_exception=True)
def dialogue_detail(request, slug):
    dialogue = get_visible_or_404(Dialogue, request.user, slug=slug)
    context = selectors.dialogue_page(dialogue=dialogue, user=request.user)
    breadcrumbs = [(_("Rounds"), reverse("rounds:round_list"))]
    return render(
        request,
        "rounds/dialogue_detail.html",
        {
            "dialogue": dialogue,
            "title": dialogue.display_name,
            "breadcrumbs": breadcrumbs,
            **context,
        },
    )


@permission_required("rounds.view_topic", raise_exception=True)
def topic_detail(request, slug):
    topic = get_visible_or_404(Topic.objects.select_related("parent"), request.user, slug=slug)
    context = selectors.topic_page(topic=topic, user=request.user)
    breadcrumbs = [(_("Topics"), reverse("rounds:topic_list"))]
    return render(
        request,
        "rounds/topic_detail.html",
        {"topic": topic, "title": topic.display_name, "breadcrumbs": breadcrumbs, **context},
    )


@permission_required("rounds.view_material", raise_exception=True)
def material_file(request, pk, language):
    """A material's file in one language, as an attachment named after the material.

    Files are never served at an address of their own: this view is the only way to them. A
    material (or its round) above the user's clearance answers 404 like one that does not
    exist, and the download of a Protected B material is access-logged (core/reading.py)."""
    if language not in Material.LANGUAGES:
        raise Http404
    material = get_visible_or_404(
        Material.objects.filter(within_clearance(request.user, "round")), request.user, pk=pk
    )
    stored = material.file_in(language)
    if not stored:
        raise Http404
    try:
        handle = stored.storage.open(stored.name, "rb")
    except OSError as error:
        logger.warning("Material %s: its %s file is missing from the store", material.pk, language)
        raise Http404 from error
    record_access(request, material)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=material.download_name(language),
        content_type=documents.content_type_for(stored.name),
    )


# -- cases of concern (Case officers only: the querysets are empty for anyone else) -------------


class CaseListView(ListPage):
    model = CaseOfConcern
    filterset_class = CaseFilterSet
    table_class = CaseTable
    title = _("Cases of concern")
    links = ((reverse_lazy("reports:case_answers"), _("Answers by round")),)

    def annotate(self, queryset):
        raisings = CaseRaising.objects.filter(
            within_clearance(self.request.user), case=OuterRef("pk")
        )
        return queryset.annotate(
            raising_count=count(raisings.values("pk")),
            last_raised=largest(raisings, "round__start_date", DateField()),
        )


@permission_required("rounds.view_caseofconcern", raise_exception=True)
def case_detail(request, pk):
    case = get_visible_or_404(CaseOfConcern, request.user, pk=pk)
    record_access(request, case)
    context = selectors.case_page(case=case, user=request.user)
    breadcrumbs = [(_("Cases of concern"), reverse("rounds:case_list"))]
    return render(
        request,
        "rounds/case_detail.html",
        {"case": case, "title": str(case), "breadcrumbs": breadcrumbs, **context},
    )
