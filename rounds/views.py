"""Browsing rounds and topics: lists, detail pages, topic continuity and cross-dialogue overlap."""

from django.contrib.auth.decorators import permission_required
from django.db.models import DateField, OuterRef
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.access import get_visible_or_404, record_access
from core.expressions import count, largest
from core.formats import percent
from core.models import within_clearance
from core.pagecache import shared_page
from core.spreadsheets import csv_response
from core.views import ListPage, paginate
from exchange.exchange import export_dialogue
from rounds import selectors
from rounds.filtersets import CaseFilterSet, RoundFilterSet, TopicFilterSet
from rounds.forms import ContinuityForm, DialogueReportForm, OverlapForm
from rounds.models import CaseOfConcern, CaseRaising, Dialogue, Round, Topic
from rounds.tables import CaseTable, RoundTable, TopicTable


class RoundListView(ListPage):
    model = Round
    filterset_class = RoundFilterSet
    table_class = RoundTable
    title = _("Rounds")
    select_related = ("dialogue",)
    links = ((reverse_lazy("rounds:translation_gap"), _("Materials and the translation gap")),)

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


@shared_page
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


@shared_page
@permission_required("rounds.view_round", raise_exception=True)
def round_briefing(request, pk):
    round_ = get_visible_or_404(Round.objects.select_related("dialogue"), request.user, pk=pk)
    record_access(request, round_)
    context = selectors.briefing_pack(round_=round_, user=request.user)
    breadcrumbs = [
        (_("Rounds"), reverse("rounds:round_list")),
        (str(round_), round_.get_absolute_url()),
    ]
    title = _("Briefing pack: %(round)s") % {"round": round_}
    return render(
        request,
        "rounds/round_briefing.html",
        {"round": round_, "title": title, "breadcrumbs": breadcrumbs, **context},
    )


@shared_page
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


@permission_required("rounds.view_dialogue", raise_exception=True)
def dialogue_export(request, slug):
    """The dialogue, its rounds and everything under them that the user may see, as JSON."""
    dialogue = get_visible_or_404(Dialogue, request.user, slug=slug)
    response = JsonResponse(
        export_dialogue(dialogue, user=request.user), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Disposition"] = f'attachment; filename="{dialogue.slug}.json"'
    return response


@shared_page
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


@shared_page
@permission_required("rounds.view_agendaitem", raise_exception=True)
def topic_continuity(request):
    form = ContinuityForm(request.GET)
    continuity = selectors.topic_continuity(
        user=request.user,
        dialogues=form.valid_value("dialogue"),
        year_from=form.valid_value("year_from"),
        year_to=form.valid_value("year_to"),
        category=form.valid_value("category"),
        min_count=form.valid_value("min_count"),
        sort=form.valid_value("sort") or "first",
    )
    if request.GET.get("format") == "csv":
        return csv_response(
            "topic-continuity.csv",
            ["topic", *continuity.years],
            ([row.topic.name, *(cell.count for cell in row.cells)] for row in continuity.rows),
        )
    breadcrumbs = [(_("Topics"), reverse("rounds:topic_list"))]
    return render(
        request,
        "rounds/topic_continuity.html",
        {
            "form": form,
            "continuity": continuity,
            "page": paginate(request, continuity.rows),
            "title": _("Topic continuity"),
            "breadcrumbs": breadcrumbs,
        },
    )


@shared_page
@permission_required("rounds.view_agendaitem", raise_exception=True)
def topic_overlap(request):
    form = OverlapForm(request.GET)
    scope = {
        "user": request.user,
        "partner": form.valid_value("partner") or "CN",
        "year_from": form.valid_value("year_from"),
        "year_to": form.valid_value("year_to"),
    }
    if request.GET.get("format") == "csv":
        rows = []
        for row in selectors.topic_overlap(**scope):
            dialogues = sorted({str(r.dialogue) for r, _items in row.rounds})
            rounds = [str(r) for r, _items in row.rounds]
            rows.append([row.topic.name, row.year, "; ".join(dialogues), "; ".join(rounds)])
        return csv_response("topic-overlap.csv", ["topic", "year", "dialogues", "rounds"], rows)
    # The database counts the overlaps (one small row each); only a page's rows are built.
    page = paginate(request, selectors.overlap_pairs(**scope))
    breadcrumbs = [(_("Topics"), reverse("rounds:topic_list"))]
    return render(
        request,
        "rounds/topic_overlap.html",
        {
            "form": form,
            "rows": selectors.overlap_rows(page.object_list, **scope),
            "page": page,
            "title": _("Cross-dialogue overlap"),
            "breadcrumbs": breadcrumbs,
        },
    )


@shared_page
@permission_required("rounds.view_material", raise_exception=True)
def translation_gap(request):
    """Per round: the materials each side provided, in which languages, and the share of ours
    that the partner could read in its own language."""
    form = DialogueReportForm(request.GET)
    rows = selectors.translation_gap(form.rounds(request.user), user=request.user)
    context = {
        "title": _("Materials and the translation gap"),
        "form": form,
        "rows": rows,
        "chart": [
            {"label": str(row.round), "value": row.share, "text": percent(row.share)}
            for row in rows
            if row.share is not None
        ],
        "breadcrumbs": [(_("Rounds"), reverse("rounds:round_list"))],
    }
    return render(request, "rounds/translation_gap.html", context)


# -- cases of concern (Case officers only: the querysets are empty for anyone else) -------------


class CaseListView(ListPage):
    model = CaseOfConcern
    filterset_class = CaseFilterSet
    table_class = CaseTable
    title = _("Cases of concern")
    links = ((reverse_lazy("rounds:case_answers"), _("Answers by round")),)

    def annotate(self, queryset):
        raisings = CaseRaising.objects.filter(
            within_clearance(self.request.user), case=OuterRef("pk")
        )
        return queryset.annotate(
            raising_count=count(raisings.values("pk")),
            last_raised=largest(raisings, "round__start_date", DateField()),
        )


@shared_page
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


@shared_page
@permission_required("rounds.view_caseraising", raise_exception=True)
def case_answers(request):
    """Per round: cases raised and answered, median days to an answer, releases reported."""
    form = DialogueReportForm(request.GET)
    rows = selectors.case_answers(form.rounds(request.user), user=request.user, medians=False)
    page = paginate(request, rows)
    selectors.fill_median_days(page.object_list, user=request.user)
    context = {
        "title": _("Answers on cases of concern, by round"),
        "form": form,
        "rows": page.object_list,
        "page": page,
        "chart": selectors.case_chart(page.object_list),
        "breadcrumbs": [(_("Cases of concern"), reverse("rounds:case_list"))],
    }
    return render(request, "rounds/case_answers.html", context)
