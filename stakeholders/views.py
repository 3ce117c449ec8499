"""Browsing organizations, people and consultations; recording consultations and a round's
delegations."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import IntegrityError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, UpdateView

from core import submissions
from core.access import get_visible_or_404, record_access, visible
from core.forms import stamp
from core.middleware import bad_request, nul_message
from core.models import SecurityMarking, StaleEdit
from core.nul import contains_nul
from core.views import EditPage, ListPage
from rounds.models import Round
from stakeholders import selectors
from stakeholders.filtersets import ConsultationFilterSet, OrganizationFilterSet, PersonFilterSet
from stakeholders.forms import ConsultationForm, DelegationRecording, RequestFormSet
from stakeholders.models import DELEGATION_SIDES, Consultation, Organization, Person
from stakeholders.tables import ConsultationTable, OrganizationTable, PersonTable


class OrganizationListView(ListPage):
    model = Organization
    filterset_class = OrganizationFilterSet
    table_class = OrganizationTable
    title = _("Organizations")
    select_related = ("parent",)


class PersonListView(ListPage):
    model = Person
    filterset_class = PersonFilterSet
    table_class = PersonTable
    title = _("People")
    select_related = ("organization",)


class ConsultationListView(ListPage):
    model = Consultation
    filterset_class = ConsultationFilterSet
    table_class = ConsultationTable
    title = _("NGO consultations")
    select_related = ("dialogue", "round__dialogue")
    links = ((reverse_lazy("reports:engagement"), _("NGO engagement by round")),)

    def annotate(self, queryset):
        return queryset.annotate(organization_count=Count("organizations"))


@permission_required("stakeholders.view_organization", raise_exception=True)
def organization_detail(request, pk):
    organization = get_visible_or_404(
        Organization.objects.select_related("parent"), request.user, pk=pk
    )
    context = selectors.organization_page(organization=organization, user=request.user)
    breadcrumbs = [(_("Organizations"), reverse("stakeholders:organization_list"))]
    return render(
        request,
        "stakeholders/organization_detail.html",
        {
            "organization": organization,
            "title": organization.display_name,
            "breadcrumbs": breadcrumbs,
            **context,
        },
    )


@permission_required("stakeholders.view_person", raise_exception=True)
def person_detail(request, pk):
    person = get_visible_or_404(Person.objects.select_related("organization"), request.user, pk=pk)
    record_access(request, person)
    context = selectors.person_page(person=person, user=request.user)
    breadcrumbs = [(_("People"), reverse("stakeholders:person_list"))]
    return render(
        request,
        "stakeholders/person_detail.html",
        {"person": person, "title": person.full_name, "breadcrumbs": breadcrumbs, **context},
    )


# -- officers record consultations and the answers to their requests ----------------------------


class ConsultationFormMixin(EditPage):
    """A consultation and, on the same page, the requests made there with the answers given:
    both saved together, or neither, keeping every entry."""

    model = Consultation
    form_class = ConsultationForm
    template_name = "stakeholders/consultation_form.html"
    cancel_url = reverse_lazy("stakeholders:consultation_list")

    def get_queryset(self):
        return super().get_queryset().select_related("dialogue")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        # The requests are checked against the consultation as the form leaves it (its date).
        data = self.request.POST if self.request.method == "POST" else None
        self.request_formset = RequestFormSet(
            data,
            instance=form.instance,
            prefix="requests",
            form_kwargs={"user": self.request.user},
        )
        return form

    def form_valid(self, form):
        if not self.request_formset.is_valid():
            return self.form_invalid(form)
        return super().form_valid(form)

    def form_invalid(self, form):
        self.request_formset.is_valid()  # the requests' own errors show beside their fields too
        return super().form_invalid(form)

    def sent_once(self, form) -> list:
        # New requests too: the page sent twice would otherwise record them twice.
        rows = self.request_formset
        return [form, *(submissions.new_rows(rows) if rows.is_valid() else rows.extra_forms)]

    def after_save(self, form):
        for request_form in self.request_formset.forms:
            stamp(request_form.instance, self.request.user, is_new=request_form.instance.pk is None)
        self.request_formset.instance = self.object
        self.request_formset.save()

    def visible_round(self, pk):
        if pk is None:
            return None
        return visible(Round, self.request.user).select_related("dialogue").filter(pk=pk).first()

    def page_round(self):
        """The round the page is about, if the user may see it: read once a request."""
        if not hasattr(self, "_page_round"):
            self._page_round = self.visible_round(getattr(self.object, "round_id", None))
        return self._page_round

    def get_success_url(self):
        round_ = self.visible_round(self.object.round_id)
        if self.next_url() or round_ is None:
            return self.next_url() or self.object.dialogue.get_absolute_url()
        return round_.get_absolute_url()

    def get_cancel_url(self):
        round_ = self.page_round()
        return round_.get_absolute_url() if round_ is not None else str(self.cancel_url)

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            kwargs["form"] = self.get_form()  # which makes the requests' formset beside it
        context = super().get_context_data(request_formset=self.request_formset, **kwargs)
        round_ = self.page_round()
        context["breadcrumbs"] = [(_("NGO consultations"), str(self.cancel_url))]
        if round_ is not None:
            context["round"] = round_
            context["breadcrumbs"] = [
                (_("Rounds"), reverse("rounds:round_list")),
                (str(round_), round_.get_absolute_url()),
            ]
        return context


class ConsultationCreate(ConsultationFormMixin, CreateView):
    permission_required = selectors.RECORD_CONSULTATION
    success_message = _("Consultation “%(record)s” recorded.")

    def get_title(self):
        return _("Record a consultation")

    def page_round(self):
        """The round named by `?round=`, if the user may see it."""
        if not hasattr(self, "_page_round"):
            pk = self.request.GET.get("round", "")
            number = re.fullmatch(r"[0-9]{1,9}", pk)
            self._page_round = self.visible_round(int(pk)) if number else None
        return self._page_round

    def get_initial(self):
        round_ = self.page_round()
        if round_ is None:
            return {}
        # Marked at least as the round, which the consultation refers to (core.models).
        markings = SecurityMarking.values
        default = Consultation._meta.get_field("security_marking").default
        marking = max(default, round_.security_marking, key=markings.index)
        return {"round": round_.pk, "security_marking": marking}


class ConsultationEdit(ConsultationFormMixin, UpdateView):
    permission_required = selectors.EDIT_CONSULTATION
    success_message = _("Consultation “%(record)s” saved.")


# -- officers record a round's delegations ------------------------------------------------------


@permission_required(selectors.RECORD_DELEGATIONS, raise_exception=True)
def delegation_member(request, round_pk, side, member_pk):
    """One member of a side's delegation, opened from the delegations page to be corrected,
    made head (or no longer head) or removed."""
    user = request.user
    round_ = get_visible_or_404(Round.objects.select_related("dialogue"), user, pk=round_pk)
    record_access(request, round_)
    _previous, sides = selectors.delegation_sides(round_=round_, user=user)
    found = [s for s in sides if s.side == side and s.delegation.pk is not None]
    if not found:
        raise Http404  # a side that is not, one not recorded, or one the user may not see
    bound = request.method == "POST"
    recording = DelegationRecording(
        found[0], user=user, data=request.POST if bound else None, member=member_pk
    )
    if not bound and not recording.members.forms:
        raise Http404
    name = round_.dialogue.side_name(side)
    back = reverse("stakeholders:round_delegations", args=[round_.pk]) + f"#{side}"
    if bound:
        try:
            if _saved(request, recording, name, back):
                return redirect(back)
        except submissions.AlreadySubmitted as repeat:
            return submissions.answer_again(request, repeat.submission, fallback=back)
    return render(
        request,
        "stakeholders/delegation_member.html",
        {
            "round": round_,
            "title": _("A member of the delegation of %(side)s") % {"side": name},
            "breadcrumbs": [
                (_("Rounds"), reverse("rounds:round_list")),
                (str(round_), round_.get_absolute_url()),
                (_("Delegations to “%(round)s”") % {"round": round_}, back),
            ],
            "recording": recording,
            "back": back,
        },
        status=400 if bound else 200,
    )


def _saved(request, recording, name, url) -> bool:
    """Save one side's delegation as recorded on the page, or say why it was not saved;
    AlreadySubmitted if what it adds was sent and saved before (core/submissions.py), `url`
    being where the page then leads."""
    submissions.refuse_repeat(recording.token_forms())
    if recording.is_valid():
        try:
            with submissions.saving_once(recording.new_forms(), request.user) as settle:
                recording.save()
                settle(url)
        except (IntegrityError, StaleEdit):
            # Someone else recorded this side, or one of these people, at the same moment (or
            # saved one of these members between the page's version check and this save).
            target = recording.form if recording.form is not None else recording.members[0]
            target.add_error(
                None,
                _(
                    "Someone else saved this delegation at the same moment; your changes were "
                    "not saved. Reload the page, then make them again."
                ),
            )
        else:
            messages.success(request, _("Saved: %(side)s.") % {"side": name})
            return True
    messages.error(
        request, _("%(side)s was not saved. Correct the fields marked below.") % {"side": name}
    )
    return False


@permission_required(selectors.RECORD_DELEGATIONS, raise_exception=True)
def round_delegations(request, round_pk):
    """Each side's delegation to a round, with its members: a section per side, each saved on
    its own. The head is chosen once, among the members; last round's members are offered to
    be confirmed. A side whose delegation the user may not see is not on the page."""
    user = request.user
    round_ = get_visible_or_404(Round.objects.select_related("dialogue"), user, pk=round_pk)
    record_access(request, round_)
    previous, sides = selectors.delegation_sides(round_=round_, user=user)
    bound = request.POST.get("side", "") if request.method == "POST" else None
    if bound is not None and contains_nul(bound):
        # Which side's form was posted is not known, so there is no form to show again.
        return bad_request(request, nul_message("side"))
    if bound is not None and bound not in {side.side for side in sides}:
        raise Http404  # a side that is not, or one the user may not see: the same answer
    recordings = [
        DelegationRecording(side, user=user, data=request.POST if side.side == bound else None)
        for side in sides
    ]
    names = {side: round_.dialogue.side_name(side) for side, _label in DELEGATION_SIDES}
    if bound is not None:
        (recording,) = [r for r in recordings if r.side.side == bound]
        url = reverse("stakeholders:round_delegations", args=[round_.pk]) + f"#{bound}"
        try:
            if _saved(request, recording, names[bound], url):
                return redirect(url)
        except submissions.AlreadySubmitted as repeat:
            return submissions.answer_again(request, repeat.submission, fallback=url)
    breadcrumbs = [
        (_("Rounds"), reverse("rounds:round_list")),
        (str(round_), round_.get_absolute_url()),
    ]
    if user.has_perm("rounds.change_round"):
        breadcrumbs.append((_("Record the round"), reverse("rounds:round_edit", args=[round_.pk])))
    return render(
        request,
        "stakeholders/round_delegations.html",
        {
            "round": round_,
            "title": _("Delegations to “%(round)s”") % {"round": round_},
            "breadcrumbs": breadcrumbs,
            "previous_round": previous,
            "recordings": [(names[r.side.side], r, r.side.side == bound) for r in recordings],
        },
        status=400 if bound is not None else 200,
    )
