"""Browsing rounds and topics (lists and detail pages), recording a round in the product, and
downloading a material's files."""

import logging
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import DateField, OuterRef
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import CreateView

from core import documents, submissions
from core.access import get_visible_or_404, record_access, visible
from core.expressions import count, largest
from core.forms import changes_said, stamp
from core.models import StaleEdit, within_clearance
from core.views import EditPage, ListPage
from rounds import selectors, services
from rounds.filtersets import CaseFilterSet, RoundFilterSet, TopicFilterSet
from rounds.forms import (
    AgendaFormSet,
    CaseReleasedForm,
    CommitmentsFormSet,
    MaterialsFormSet,
    RoundForm,
    VisitsFormSet,
)
from rounds.models import (
    AgendaItem,
    CaseOfConcern,
    CaseRaising,
    Dialogue,
    Material,
    Round,
    Topic,
)
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
    context["release_unrecorded"] = services.case_release_unrecorded(case, context["raisings"])
    breadcrumbs = [(_("Cases of concern"), reverse("rounds:case_list"))]
    return render(
        request,
        "rounds/case_detail.html",
        {"case": case, "title": str(case), "breadcrumbs": breadcrumbs, **context},
    )


def offer_case_release(request, case) -> None:
    """After a save that recorded an answer reporting the case's release: a message offering
    to record the case itself as released, for those who may change it."""
    if case.status == CaseOfConcern.Status.RELEASED or not request.user.has_perm(
        "rounds.change_caseofconcern"
    ):
        return
    messages.info(
        request,
        format_html(
            '{} <a class="button secondary" href="{}">{}</a>',
            _(
                "The answer reports that %(case)s was released; the case is still recorded as "
                "“%(status)s”."
            )
            % {"case": case, "status": case.get_status_display()},
            reverse("rounds:case_mark_released", args=[case.pk]),
            _("Update the case's status"),
        ),
    )


@permission_required("rounds.change_caseofconcern", raise_exception=True)
def case_mark_released(request, pk):
    """Confirm, then record a case as released after an answer reported its release."""
    case = get_visible_or_404(CaseOfConcern, request.user, pk=pk)
    record_access(request, case)
    if case.status == CaseOfConcern.Status.RELEASED:
        messages.info(request, _("This case is already recorded as released."))
        return redirect(case)
    form = CaseReleasedForm(
        request.POST if request.method == "POST" else None,
        initial={"expected_version": case.version},
    )
    if form.is_valid():
        try:
            services.case_mark_released(
                case=case,
                user=request.user,
                expected_version=form.cleaned_data["expected_version"],
            )
        except StaleEdit:
            messages.error(
                request,
                _(
                    "Someone changed this case since you opened the page: check it and "
                    "confirm again."
                ),
            )
            expected = form.cleaned_data["expected_version"]
            if changes := changes_said(case, expected, user=request.user):
                messages.error(request, changes)
            return redirect("rounds:case_mark_released", pk=case.pk)
        messages.success(request, _("%(case)s is now recorded as released.") % {"case": case})
        return redirect(case)
    reported = (
        visible(CaseRaising, request.user)
        .filter(
            within_clearance(request.user, "round"),
            case=case,
            response=CaseRaising.Response.RELEASE_REPORTED,
        )
        .select_related("round__dialogue")
        .order_by("-round__start_date")
    )
    breadcrumbs = [
        (_("Cases of concern"), reverse("rounds:case_list")),
        (str(case), case.get_absolute_url()),
    ]
    return render(
        request,
        "rounds/case_released_confirm.html",
        {
            "case": case,
            "form": form,
            "reported": reported[:5],
            "title": _("Record %(case)s as released") % {"case": case},
            "breadcrumbs": breadcrumbs,
        },
    )


# -- recording a round: the officers' pages (the admin is for administrators) -------------------


class RoundCreate(EditPage, CreateView):
    """A new round of a dialogue, numbered after the last; its agenda, commitments and the rest
    are then filled in section by section on its edit page."""

    model = Round
    form_class = RoundForm
    permission_required = "rounds.add_round"
    success_message = _("Round “%(record)s” created. Now record its agenda and the rest.")
    cancel_url = reverse_lazy("rounds:round_list")

    def get_initial(self):
        dialogue = Dialogue.objects.filter(slug=self.request.GET.get("dialogue", "")).first()
        if dialogue is None:
            return {"status": Round.Status.PLANNED}
        last = visible(Round, self.request.user).filter(dialogue=dialogue).order_by("-start_date")
        previous = last.first()
        return {
            "dialogue": dialogue,
            "status": Round.Status.PLANNED,
            "number": previous.number + 1 if previous and previous.number else None,
            "interpretation_mode": previous.interpretation_mode if previous else "",
        }

    def get_success_url(self):
        return reverse("rounds:round_edit", args=[self.object.pk])


SECTIONS = {
    # name, in the order the work happens: (permission to see and save it, its title, the
    # legend of a row not yet saved)
    "details": ("rounds.change_round", _("When, where and how"), None),
    "agenda": (
        "rounds.change_agendaitem",
        _("Agenda, and what each side said"),
        _("New agenda item"),
    ),
    "materials": ("rounds.change_material", _("Materials and their files"), _("New material")),
    "visits": ("rounds.change_sitevisit", _("Site visits"), _("New site visit")),
    "commitments": ("rounds.change_commitment", _("Commitments"), _("New commitment")),
}


@dataclass(frozen=True)
class Section:
    """A section of the recording page, as the page draws it."""

    name: str
    label: str
    new_label: str | None
    form: object  # the round's form, or the formset of a new row
    bound: bool  # the section just saved, whose errors are shown
    rows: object | None  # the rows recorded, to read and open one at a time


FORMSETS = {
    "agenda": AgendaFormSet,
    "materials": MaterialsFormSet,
    "visits": VisitsFormSet,
    "commitments": CommitmentsFormSet,
}
# What each section's rows are read with: by default their round (a material is named after
# it); a commitment's agenda item, which the form checks the reader may follow.
SELECTED = {"commitments": ("agenda_item",)}
PREFETCHED = {"agenda": ("topics",), "visits": ("topics", "institutions")}


def _section_rows(name, round_, user):
    """The round's rows of a section the user may see, in the round's order."""
    model = FORMSETS[name].model
    rows = (
        visible(model, user)
        .filter(round=round_)
        .select_related(*SELECTED.get(name, ("round__dialogue",)))
        .prefetch_related(*PREFETCHED.get(name, ()))
    )
    return rows.order_by(*model._meta.ordering[1:], "pk")


def _section_forms(request, round_, bound: str | None) -> tuple[dict, dict]:
    """Each section's form, or its formset for a new row, the one being saved bound to the
    request's data; and each section's rows as recorded, drawn to be read and opened one at a
    time (a form for every row of a long agenda made the page slow to draw and to use)."""
    user = request.user
    forms_, recorded = {}, {}
    for name, (permission, *_labels) in SECTIONS.items():
        if not user.has_perm(permission):
            continue
        post, files = (request.POST, request.FILES) if name == bound else (None, None)
        if name == "details":
            forms_[name] = RoundForm(post, files, instance=round_, user=user, prefix="round")
            continue
        rows = _section_rows(name, round_, user)
        recorded[name] = rows
        # A save may name any row the user may see (the row's own page posts one; a script may
        # post several); the page's own form adds a row.
        forms_[name] = FORMSETS[name](
            post,
            files,
            instance=round_,
            user=user,
            prefix=name,
            queryset=rows if name == bound else rows.none(),
        )
    return forms_, recorded


def _carried_items(round_, user):
    """The previous round's agenda items not yet on this round's agenda (by wording), to be
    carried forward with one click each."""
    previous = selectors.previous_round(round_, user=user)
    if previous is None:
        return None, []
    here = {
        services.wording(title)
        for title in AgendaItem.objects.filter(round=round_).values_list("title", flat=True)
    }
    items = (
        visible(AgendaItem, user)
        .filter(round=previous)
        .prefetch_related("topics")
        .order_by("order", "pk")
    )
    return previous, [item for item in items if services.wording(item.title) not in here]


def _save_section(request, round_, name, form, url) -> bool:
    """Save a section (or a row opened on its own page); AlreadySubmitted if its new rows were
    sent and saved before (core/submissions.py), `url` being where the page then leads."""
    user = request.user
    if name != "details":
        submissions.refuse_repeat(form.forms)
    if not form.is_valid():
        return False
    new_rows = [] if name == "details" else submissions.new_rows(form)
    parts = [form] if name == "details" else [f for f in form.forms if f.has_changed()]
    for part in parts:
        if not getattr(part, "cleaned_data", {}).get("DELETE"):
            stamp(part.instance, user, is_new=part.instance.pk is None)
    try:
        with submissions.saving_once(new_rows, user) as settle:
            form.save()
            settle(url)
    except StaleEdit:
        messages.error(
            request,
            _(
                "Someone else saved this record at the same moment; your changes were not "
                "saved. Check the values and save again."
            ),
        )
        return False
    return True


@permission_required("rounds.change_round", raise_exception=True)
def round_edit(request, pk, section=None):
    """A round's recording page: a section per stage of the work, each saved on its own."""
    round_ = get_visible_or_404(Round.objects.select_related("dialogue"), request.user, pk=pk)
    record_access(request, round_)
    if section is not None and (
        section not in SECTIONS or not request.user.has_perm(SECTIONS[section][0])
    ):
        raise PermissionDenied
    if request.method == "POST" and section is None:
        return HttpResponseNotAllowed(["GET"])
    forms_, recorded = _section_forms(
        request, round_, section if request.method == "POST" else None
    )
    if request.method == "POST":
        back = reverse("rounds:round_edit", args=[round_.pk]) + f"#{section}"
        try:
            saved = _save_section(request, round_, section, forms_[section], back)
        except submissions.AlreadySubmitted as repeat:
            return submissions.answer_again(request, repeat.submission, fallback=back)
        if saved:
            messages.success(
                request,
                _("Saved: %(section)s.") % {"section": SECTIONS[section][1]},
            )
            return redirect(back)
        messages.error(
            request,
            _("%(section)s was not saved. Correct the fields marked below.")
            % {"section": SECTIONS[section][1]},
        )
    previous, carried = (
        _carried_items(round_, request.user)
        if request.user.has_perm("rounds.add_agendaitem")
        else (None, [])
    )
    breadcrumbs = [
        (_("Rounds"), reverse("rounds:round_list")),
        (str(round_), round_.get_absolute_url()),
    ]
    return render(
        request,
        "rounds/round_edit.html",
        {
            "round": round_,
            "title": _("Record “%(round)s”") % {"round": round_},
            "breadcrumbs": breadcrumbs,
            "sections": [
                Section(
                    name=name,
                    label=SECTIONS[name][1],
                    new_label=SECTIONS[name][2],
                    form=form,
                    bound=name == section,
                    rows=recorded.get(name),
                )
                for name, form in forms_.items()
            ],
            "previous_round": previous,
            "carried": carried,
        },
        status=400 if request.method == "POST" else 200,
    )


@permission_required("rounds.change_round", raise_exception=True)
def round_edit_row(request, pk, section, row):
    """One recorded row of a round's section (an agenda item, a commitment, a material, a site
    visit), opened from the recording page to be corrected or removed."""
    round_ = get_visible_or_404(Round.objects.select_related("dialogue"), request.user, pk=pk)
    if section not in FORMSETS or not request.user.has_perm(SECTIONS[section][0]):
        raise PermissionDenied
    record_access(request, round_)
    rows = _section_rows(section, round_, request.user).filter(pk=row)
    bound = request.method == "POST"
    formset = FORMSETS[section](
        request.POST if bound else None,
        request.FILES if bound else None,
        instance=round_,
        user=request.user,
        prefix=section,
        queryset=rows,
        one_row=True,
    )
    if not formset.forms and not bound:
        raise Http404
    label = SECTIONS[section][1]
    back = reverse("rounds:round_edit", args=[round_.pk]) + f"#{section}"
    if bound:
        try:
            saved = _save_section(request, round_, section, formset, back)
        except submissions.AlreadySubmitted as repeat:
            return submissions.answer_again(request, repeat.submission, fallback=back)
        if saved:
            messages.success(request, _("Saved: %(section)s.") % {"section": label})
            return redirect(back)
        messages.error(
            request,
            _("%(section)s was not saved. Correct the fields marked below.") % {"section": label},
        )
    return render(
        request,
        "rounds/round_edit_row.html",
        {
            "round": round_,
            "title": _("Correct a row of “%(section)s”") % {"section": label},
            "breadcrumbs": [
                (_("Rounds"), reverse("rounds:round_list")),
                (str(round_), round_.get_absolute_url()),
                (_("Record “%(round)s”") % {"round": round_}, back),
            ],
            "section": section,
            "label": label,
            "form": formset,
            "back": back,
        },
        status=400 if bound else 200,
    )


@require_POST
@permission_required("rounds.add_agendaitem", raise_exception=True)
def round_carry_item(request, pk, item_pk):
    """Put an item of an earlier round of the dialogue on this round's agenda, with its wording,
    segment and topics (what was said about it stays with the earlier round)."""
    user = request.user
    round_ = get_visible_or_404(Round, user, pk=pk)
    if not user.has_perm("rounds.change_round"):
        raise PermissionDenied
    source = get_visible_or_404(
        AgendaItem.objects.filter(
            round__dialogue=round_.dialogue_id, round__start_date__lt=round_.start_date
        ),
        user,
        pk=item_pk,
    )
    item = services.agenda_item_carry(round_=round_, source=source, user=user)
    if item is None:
        messages.info(
            request, _("“%(item)s” is already on this round's agenda.") % {"item": source}
        )
    else:
        messages.success(request, _("“%(item)s” is on this round's agenda.") % {"item": item})
    return redirect(reverse("rounds:round_edit", args=[round_.pk]) + "#agenda")
