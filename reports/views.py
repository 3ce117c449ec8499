"""The reports that read across the domain apps: the briefing pack, topic continuity and
overlap, the translation gap, answers on cases, follow-up coverage and NGO engagement. Each
report's reads live in a module of its own beside this one."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core import charts, reading, reportcache
from core.access import get_visible_or_404, record_access
from core.spreadsheets import csv_response
from core.views import paginate
from reports import (
    briefing,
    briefing_docx,
    caching,
    case_answers,
    continuity,
    coverage,
    engagement,
    overlap,
    translation_gap,
)
from rounds.forms import ContinuityForm, CoverageForm, DialogueReportForm, OverlapForm
from rounds.models import Round
from rounds.selectors import home_dialogue


@permission_required("rounds.view_round", raise_exception=True)
def round_briefing(request, pk):
    """The briefing pack of a round: a page laid out for printing, or (`?format=docx`) a Word
    document with the same sections and markings, in the reader's language."""
    round_ = get_visible_or_404(Round.objects.select_related("dialogue"), request.user, pk=pk)
    record_access(request, round_)
    title = _("Briefing pack: %(round)s") % {"round": round_}
    if request.GET.get("format") == "docx":
        # The whole pack's marking, as the page's banner would show it (core.reading).
        with reading.reading() as found:
            reading.note_record(round_)  # read before: its dates and place head the summary
            context = briefing.briefing_pack(round_=round_, user=request.user)
        return briefing_docx.docx_response(
            round_=round_, title=str(title), marking=found.highest(request.user), pack=context
        )
    breadcrumbs = [
        (_("Rounds"), reverse("rounds:round_list")),
        (str(round_), round_.get_absolute_url()),
    ]
    return reportcache.render_report(
        request,
        caching.BRIEFING,
        "reports/round_briefing.html",
        lambda: {"round": round_, **briefing.briefing_pack(round_=round_, user=request.user)},
        title=title,
        breadcrumbs=breadcrumbs,
    )


@permission_required("rounds.view_round", raise_exception=True)
def next_briefing(request, pk):
    """From any round, the pack of the dialogue's next planned round; if none is planned, a
    page that says so and offers to plan one to those who may."""
    round_ = get_visible_or_404(Round.objects.select_related("dialogue"), request.user, pk=pk)
    found = briefing.next_planned_round(round_, user=request.user)
    if found is not None:
        return redirect("reports:round_briefing", pk=found.pk)
    dialogue = round_.dialogue
    breadcrumbs = [
        (_("Rounds"), reverse("rounds:round_list")),
        (str(round_), round_.get_absolute_url()),
    ]
    return render(
        request,
        "reports/next_briefing.html",
        {
            "round": round_,
            "dialogue": dialogue,
            "title": _("Briefing pack for the next round"),
            "breadcrumbs": breadcrumbs,
        },
    )


@permission_required("rounds.view_agendaitem", raise_exception=True)
def topic_continuity(request):
    form = ContinuityForm(request.GET)

    def matrix():
        return continuity.topic_continuity(
            user=request.user,
            dialogues=form.valid_value("dialogue"),
            year_from=form.valid_value("year_from"),
            year_to=form.valid_value("year_to"),
            category=form.valid_value("category"),
            min_count=form.valid_value("min_count"),
            sort=form.valid_value("sort") or "first",
        )

    if request.GET.get("format") == "csv":
        built = matrix()
        return csv_response(
            "topic-continuity.csv",
            [_("Topic"), *built.years, _("Pattern"), _("Total")],
            (
                [
                    row.topic.display_name,
                    *row.counts,
                    "; ".join(label for _kind, label in row.patterns),
                    row.total,
                ]
                for row in built.rows
            ),
        )

    def context():
        built = matrix()
        page = paginate(request, built.rows)
        continuity.fill_rounds(page.object_list)  # the rounds this page links to, read at once
        return {"form": form, "continuity": built, "page": page}

    return reportcache.render_report(
        request,
        caching.CONTINUITY,
        "reports/topic_continuity.html",
        context,
        title=_("Topic continuity"),
        breadcrumbs=[(_("Topics"), reverse("rounds:topic_list"))],
    )


@permission_required("rounds.view_agendaitem", raise_exception=True)
def topic_overlap(request):
    form = OverlapForm(request.GET)
    scope = {
        "user": request.user,
        "partner": form.counterpart(),
        "year_from": form.valid_value("year_from"),
        "year_to": form.valid_value("year_to"),
    }
    if request.GET.get("format") == "csv":
        rows = []
        for row in overlap.topic_overlap(**scope):
            dialogues = sorted({str(r.dialogue) for r, _items in row.rounds})
            rounds = [str(r) for r, _items in row.rounds]
            rows.append([row.topic.display_name, row.year, "; ".join(dialogues), "; ".join(rounds)])
        headers = [_("Topic"), _("Year"), _("Dialogues"), _("Rounds")]
        return csv_response("topic-overlap.csv", headers, rows)

    def context():
        # The database counts the overlaps (one small row each); only a page's rows are built.
        page = paginate(request, overlap.overlap_pairs(**scope))
        return {
            "form": form,
            "rows": overlap.overlap_rows(page.object_list, **scope),
            "partner_name": countries.name(scope["partner"]) if scope["partner"] else "",
            "partner_dialogues": form.dialogues_with(scope["partner"]),
            "page": page,
        }

    return reportcache.render_report(
        request,
        caching.OVERLAP,
        "reports/topic_overlap.html",
        context,
        title=_("Cross-dialogue overlap"),
        breadcrumbs=[(_("Topics"), reverse("rounds:topic_list"))],
    )


@permission_required("rounds.view_material", raise_exception=True)
def translation_gap_report(request):
    """Per round: the materials each side provided, in which languages, and the share of ours
    that the partner could read in its own language."""

    def context():
        form = DialogueReportForm(request.GET)
        rows = translation_gap.translation_gap(form.rounds(request.user), user=request.user)
        return {
            "form": form,
            "rows": rows,
            "chart": charts.percent_bars(
                [row for row in rows if row.share is not None],
                label=lambda row: row.round,
                value=lambda row: row.share,
            ),
        }

    return reportcache.render_report(
        request,
        caching.TRANSLATION_GAP,
        "reports/translation_gap.html",
        context,
        title=_("Materials and the translation gap"),
        breadcrumbs=[(_("Rounds"), reverse("rounds:round_list"))],
    )


@permission_required("rounds.view_caseraising", raise_exception=True)
def case_answers_report(request):
    """Per round: cases raised and answered, median days to an answer, releases reported."""

    def context():
        form = DialogueReportForm(request.GET)
        rows = case_answers.answer_rows(form.rounds(request.user), user=request.user)
        page = paginate(request, rows)
        return {
            "form": form,
            "rows": page.object_list,
            "page": page,
            "chart": case_answers.case_chart(page.object_list),
        }

    return reportcache.render_report(
        request,
        caching.CASE_ANSWERS,
        "reports/case_answers.html",
        context,
        title=_("Answers on cases of concern, by round"),
        breadcrumbs=[(_("Cases of concern"), reverse("rounds:case_list"))],
    )


@permission_required("followup.view_followupproject", raise_exception=True)
def coverage_report(request):
    """Which rounds and topics got a follow-up project, and which recurring topics never did:
    for one dialogue, the dashboard's unless another (or every one) is chosen."""

    def context():
        data = request.GET.copy()
        if "dialogue" not in data and (default := home_dialogue(request.user)):
            data["dialogue"] = default.slug
        form = CoverageForm(data)
        result = coverage.coverage(rounds=form.rounds(request.user), user=request.user)
        return {
            "form": form,
            "coverage": result,
            "rounds_page": paginate(request, result.rounds, param="rounds_page"),
            "topics_page": paginate(request, result.topics, param="topics_page"),
        }

    return reportcache.render_report(
        request,
        caching.COVERAGE,
        "reports/coverage.html",
        context,
        title=_("Follow-up coverage"),
        breadcrumbs=[(_("Follow-up projects"), reverse("followup:project_list"))],
    )


@permission_required("stakeholders.view_consultation", raise_exception=True)
def engagement_report(request):
    """How the NGOs were briefed, debriefed and answered, round by round."""

    def context():
        form = DialogueReportForm(request.GET)
        result = engagement.engagement(rounds=form.rounds(request.user), user=request.user)
        return {
            "form": form,
            "engagement": result,
            "rounds_page": paginate(request, result.rounds, param="rounds_page"),
        }

    return reportcache.render_report(
        request,
        caching.ENGAGEMENT,
        "reports/engagement.html",
        context,
        title=_("NGO engagement"),
        breadcrumbs=[(_("Consultations"), reverse("stakeholders:consultation_list"))],
    )
