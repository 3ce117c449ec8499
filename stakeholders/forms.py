"""The officers' forms: a consultation around a round, with the requests the NGOs made there
and the answers they were given; one side's delegation to a round (the delegation, its members,
and last round's members to confirm: stakeholders/views.py round_delegations)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from core import submissions
from core.forms import (
    ScopedForm,
    SubmittedOnce,
    VersionCheckedForm,
    VersionCheckedRemovals,
    inline_rows,
    stamp,
)
from core.lookups import LookupField, LookupMultipleField, label
from core.models import SecurityMarking
from core.nul import NamesNul
from rounds.forms import RecordingFormSet
from stakeholders import services
from stakeholders.models import Consultation, ConsultationRequest, Delegation, DelegationMember
from stakeholders.selectors import requests_changed_since

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConsultationForm(ScopedForm):
    """When the consultation was held and around which round, who took part, and its marking.

    The kind says its timing: a briefing comes before the round, a debriefing after it (the
    model checks the date against the round's); a roundtable or workshop may come at either."""

    class Meta:
        model = Consultation
        fields = [
            "round",
            "kind",
            "date",
            "date_precision",
            "format",
            "location",
            "convened_by",
            "organizations",
            "summary",
            "security_marking",
        ]
        widgets = {"date": DATE, "summary": forms.Textarea(attrs={"rows": 4})}
        # Thousands of rounds and organizations at scale: text boxes with suggestions.
        field_classes = {
            "round": LookupField,
            "convened_by": LookupField,
            "organizations": LookupMultipleField,
        }
        labels = {"kind": _("Timing and kind")}
        help_texts = {
            "kind": _(
                "A briefing comes before the round and a debriefing after it; a roundtable or "
                "workshop may come at either time."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        round_field = self.fields["round"]
        if isinstance(round_field, LookupField):  # not when it is a round the user may not see
            round_field.queryset = round_field.queryset.select_related("dialogue")
            # Only a consultation already filed between rounds may stay without one.
            round_field.required = False

    def clean(self):
        round_ = self.cleaned_data.get("round")
        if round_ is not None:
            # The consultation belongs to its round's dialogue.
            self.instance.dialogue_id = round_.dialogue_id
        elif "round" not in self.errors and self.instance.dialogue_id is None:
            self.add_error("round", _("Choose the round this consultation prepared or followed."))
        try:
            return super().clean()
        except ValidationError as stale:
            expected = self.cleaned_data.get("expected_version")
            if self.instance.pk is None or expected is None:
                raise
            changed = requests_changed_since(self.instance, expected, user=self.user)
            if not changed:
                raise
            described = "; ".join(
                _("“%(request)s” %(how)s by %(user)s") % change for change in changed
            )
            raise ValidationError(
                [
                    *stale.error_list,
                    ValidationError(
                        _("Requests changed meanwhile: %(changes)s.") % {"changes": described}
                    ),
                ]
            ) from stale


class RequestForm(SubmittedOnce, VersionCheckedForm):
    """One request and, once given, its answer and the date it was given: a request someone
    else has changed since the page was opened is neither overwritten nor removed; a new one
    carries a one-time token (the page sent twice records it once)."""

    answered = forms.BooleanField(label=_("Answered"), required=False)

    class Meta:
        model = ConsultationRequest
        fields = ["text", "answered", "answer", "answered_on"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "answer": forms.Textarea(attrs={"rows": 2}),
            "answered_on": DATE,
        }
        labels = {"text": _("What they asked for"), "answer": _("The answer given")}

    def __init__(self, *args, user=None, **kwargs):
        self.user = user  # whose view of the history a refusal's "what changed" is told in
        super().__init__(*args, **kwargs)
        self.fields["answered"].initial = self.instance.answered
        self.fields["answered_on"].help_text = _("Not before the consultation; not in the future.")

    def clean(self):
        cleaned = super().clean()
        answer, answered_on = cleaned.get("answer"), cleaned.get("answered_on")
        if cleaned.get("answered"):
            # The model requires an answer and its date together, or neither; ticked, both.
            if not answer and not answered_on and "answered_on" not in self.errors:
                self.add_error("answer", _("Say what the answer was."))
                self.add_error("answered_on", _("Give the date the answer was given."))
        elif answer or answered_on:
            self.add_error(
                "answered",
                _("Tick “Answered” to record this answer, or clear the answer and its date."),
            )
        return cleaned


class BaseRequestFormSet(VersionCheckedRemovals, BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this request")
        # Only this consultation's requests: another's would be left out of the save.
        form.fields["id"].queryset = self.get_queryset()
        form.fields["id"].error_messages["invalid_choice"] = _(
            "Someone else removed this request while you were editing, so nothing was saved. "
            "Copy what you typed, then reload the page to see the requests as they are now."
        )

    def save_new(self, form, commit=True):
        # New requests come after those already recorded, in the order they were typed.
        if not hasattr(self, "_last_order"):
            self._last_order = max((f.instance.order for f in self.initial_forms), default=0)
        self._last_order += 1
        form.instance.order = self._last_order
        return super().save_new(form, commit)


RequestFormSet = inline_rows(
    Consultation,
    ConsultationRequest,
    form=RequestForm,
    formset=BaseRequestFormSet,
    extra=2,
    can_delete=True,
)


HEAD_LABEL = _("Head of delegation")
ALREADY = _("This person is already in this delegation.")


class DelegationForm(ScopedForm):
    """The delegation itself; its head is chosen among its members (MemberForm.is_head)."""

    class Meta:
        model = Delegation
        fields = ["head_title", "head_rank", "notes", "security_marking"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "head_title": _("As the record gives it, e.g. “Assistant Deputy Minister”."),
            "head_rank": _(
                "Compared across rounds: it shows a side raising or lowering its level."
            ),
        }

    def clean(self):
        cleaned = super().clean()
        # Marked at least as its round, so that its readers may follow it to the round.
        marking, round_ = cleaned.get("security_marking"), self.instance.round
        rank = SecurityMarking.values.index
        if marking and rank(marking) < rank(round_.security_marking):
            self.add_error(
                "security_marking",
                _("The round is marked %(marking)s: mark its delegation %(marking)s or higher.")
                % {"marking": round_.get_security_marking_display()},
            )
        return cleaned


class SeenField(forms.CharField):
    """What the page showed when it was opened, sent back unchanged: never a change of its own
    (an empty new row stays empty however the record changed meanwhile)."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        return False


class MemberForm(ScopedForm):
    """One member: a person, or an organization whose representative is not named. The role
    of head is not among the roles: the head is ticked once, on their row."""

    is_head = forms.BooleanField(label=HEAD_LABEL, required=False)
    # The delegation's head when the page was opened (its person's number, or empty): a save
    # that would change the head is refused if someone else changed it meanwhile.
    head_seen = SeenField(required=False)

    class Meta:
        model = DelegationMember
        fields = ["person", "organization", "role", "position_at_time"]
        # Thousands of people and organizations at scale: text boxes with suggestions.
        field_classes = {"person": LookupField, "organization": LookupField}

    def __init__(self, *args, head_id=None, choose_head=True, **kwargs):
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        role.choices = [c for c in role.choices if c[0] != DelegationMember.Role.HEAD]
        member = self.instance
        # Who the row named as recorded: the instance takes the posted person once validated.
        self.recorded_person_id = member.person_id if member.pk else None
        if member.pk:
            # Named from the row already read, rather than looked up again for each row.
            if member.person_id:
                self.initial["person"] = label(member.person)
            if member.organization_id:
                self.initial["organization"] = label(member.organization)
            if member.role == DelegationMember.Role.HEAD:
                self.initial["role"] = DelegationMember.Role.MEMBER  # if no longer the head
            heads = member.person_id == head_id if head_id else member.role == member.Role.HEAD
            self.fields["is_head"].initial = bool(member.person_id and heads)
        self.fields["head_seen"].initial = "" if head_id is None else str(head_id)
        if not choose_head:  # a head the user may not see: neither changed nor numbered here
            del self.fields["is_head"]
            del self.fields["head_seen"]

    def save(self, commit=True):
        if self.cleaned_data.get("is_head"):
            self.instance.role = DelegationMember.Role.HEAD
        return super().save(commit)


class BaseMemberFormSet(RecordingFormSet):
    def __init__(self, *args, head_id=None, choose_head=True, **kwargs):
        self.head_id, self.choose_head = head_id, choose_head
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {
            **super().get_form_kwargs(index),
            "head_id": self.head_id,
            "choose_head": self.choose_head,
        }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")
        form.fields["id"].error_messages["invalid_choice"] = _(
            "Someone else removed this member while you were editing, so nothing was saved. "
            "Copy what you typed, then reload the page to see the members as they are now."
        )

    def kept_forms(self):
        """The rows that will hold a member once saved: not removed, not left empty."""
        return [
            form
            for form in self.forms
            if hasattr(form, "cleaned_data")
            and not self._should_delete_form(form)
            and (form.instance.pk is not None or form.has_changed())
        ]


MemberFormSet = inline_rows(
    Delegation,
    DelegationMember,
    form=MemberForm,
    formset=BaseMemberFormSet,
    extra=2,
    can_delete=True,
)


def describe_member(member) -> str:
    """A member of an earlier round as the confirmation offers them: name (position)."""
    name = str(member.person or member.organization)
    position = member.position_at_time or (member.person.position if member.person else "")
    return f"{name} ({position})" if position else name


class CarriedForm(NamesNul, forms.Form):
    """The previous round's members not yet in this delegation, each confirmed with a tick
    (and the one who headed it offered as head again), so that continuity is measured, not
    typed again. A field per member offered: `carry_<pk>` and `carry_<pk>_head`."""

    def __init__(self, *args, carried, previous_head_id=None, offer_head=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.carried = {member.pk: member for member in carried}
        for member in carried:
            self.fields[f"carry_{member.pk}"] = forms.BooleanField(
                label=_("Confirm %(member)s") % {"member": describe_member(member)},
                required=False,
            )
            if offer_head and member.person_id:
                self.fields[f"carry_{member.pk}_head"] = forms.BooleanField(
                    label=HEAD_LABEL,
                    required=False,
                    initial=member.person_id == previous_head_id,
                )

    def rows(self):
        """Each member offered, with the fields that confirm them and make them head."""
        for pk, member in self.carried.items():
            head = f"carry_{pk}_head"
            yield member, self[f"carry_{pk}"], self[head] if head in self.fields else None

    def confirmed(self) -> list:
        """(member of the previous round, whether they head this delegation) for each ticked."""
        return [
            (member, bool(self.cleaned_data.get(f"carry_{pk}_head")))
            for pk, member in self.carried.items()
            if self.cleaned_data.get(f"carry_{pk}")
        ]


class DelegationRecording:
    """One side's delegation as an officer records it: the delegation's own fields, its members,
    and the previous round's members to confirm, validated and saved together. The head is
    ticked once among the members; it sets the delegation's head and the members' roles."""

    def __init__(self, side, *, user, data=None, member=None):
        self.side, self.user = side, user
        delegation = side.delegation
        prefix = side.side
        # A head the user may not see is neither shown nor changed here.
        choose_head = not side.head_hidden
        # The members as recorded, to read; each opens on its own page (`member`: its pk) to be
        # corrected, made head or removed. The side's own form adds new members.
        members = (
            DelegationMember.objects.visible_to(user)
            .select_related("person", "organization")
            .order_by("role", "pk")
        )
        self.rows = members.filter(delegation=delegation) if delegation.pk else members.none()
        self.member = member
        if member is not None:
            members = members.filter(pk=member)
        elif data is None:
            members = members.none()
        self.form = None
        self.carried = None
        if member is None:
            self.form = DelegationForm(data, instance=delegation, user=user, prefix=prefix)
            self.carried = CarriedForm(
                data,
                prefix=f"{prefix}-carried",
                carried=side.carried,
                previous_head_id=side.previous_head_id if side.offer_previous_head else None,
                offer_head=choose_head,
            )
        self.members = MemberFormSet(
            data,
            instance=delegation,
            user=user,
            prefix=f"{prefix}-members",
            queryset=members,
            head_id=delegation.head_id,
            choose_head=choose_head,
            one_row=member is not None,
        )
        # Once valid: whether the head changes, and to whom (None: no head).
        self.head_changes, self.head = False, None

    @property
    def delegation(self):
        return self.side.delegation

    def head_outside(self):
        """The head, if the user may see them and they are not among the members recorded."""
        head_id = self.delegation.head_id
        if head_id is None or self.side.head_hidden:
            return None
        if any(member.person_id == head_id for member in self.rows):
            return None
        return self.delegation.head

    def _head_row_posted(self) -> bool:
        """Whether the head's own row, which the user may see, was posted: unticked (or
        removed), the delegation has no head once saved."""
        head_id = self.delegation.head_id
        return (
            head_id is not None
            and not self.side.head_hidden
            and any(f.recorded_person_id == head_id for f in self.members.initial_forms)
        )

    def token_forms(self) -> list:
        """The forms that may carry a one-time token: the delegation's and each member's."""
        return [*self._parts(), *self.members.forms]

    def new_forms(self) -> list:
        """Once valid: the forms whose records the save creates (the delegation, if not yet
        recorded, and each new member)."""
        form = self.form
        created = [form] if form is not None and form.instance.pk is None else []
        return [*created, *submissions.new_rows(self.members)]

    def _parts(self) -> list:
        return [part for part in (self.form, self.carried) if part is not None]

    def is_valid(self) -> bool:
        parts = [self.members.is_valid(), *(part.is_valid() for part in self._parts())]
        self._check_people()  # also beside rows with other errors, so all show at once
        self._check_head_unchanged()
        return all(parts) and not self.has_errors()

    def _check_head_unchanged(self) -> None:
        """A save that changes the head, from a page opened before someone else changed it, is
        refused: its ticks say who headed the delegation then, not now."""
        if not self.head_changes:
            return
        now = "" if self.delegation.head_id is None else str(self.delegation.head_id)
        seen = {
            form.cleaned_data["head_seen"]
            for form in self.members.forms
            if "head_seen" in getattr(form, "cleaned_data", {})
        }
        if seen and seen != {now}:
            target = self.form if self.form is not None else self.members.forms[0]
            target.add_error(
                None,
                _(
                    "Someone else changed who heads this delegation since you opened the page, "
                    "so nothing was saved. Reload the page to see the head as it is now, then "
                    "make your changes again."
                ),
            )

    def has_errors(self) -> bool:
        return bool(self.members.total_error_count() or any(part.errors for part in self._parts()))

    def _check_people(self) -> None:
        """Each person once in the delegation; one head at most, a named person, marked no
        higher than the delegation."""
        seen, heads = set(), []
        for form in self.members.kept_forms():
            person = form.cleaned_data.get("person")  # None if it was not valid
            if person is not None:
                if person.pk in seen and not _says(form, ALREADY):
                    form.add_error("person", ALREADY)
                seen.add(person.pk)
            if form.cleaned_data.get("is_head"):
                heads.append((form, "is_head", person))
        for member, is_head in self.carried.confirmed() if self.carried else ():
            if member.person_id in seen:
                self.carried.add_error(f"carry_{member.pk}", ALREADY)
            if member.person_id:
                seen.add(member.person_id)
            if is_head:
                heads.append((self.carried, f"carry_{member.pk}_head", member.person))
        if len(heads) > 1:
            for form, field, _person in heads:
                form.add_error(field, _("Tick “Head of delegation” for one member only."))
        elif heads:
            self._check_head(*heads[0])
        elif self._head_row_posted():
            # The head was unticked (or removed): the delegation has no head now. A head the
            # user may not see, or one whose row was not saved here, stays.
            self.head_changes = True

    def _check_head(self, form, field, person) -> None:
        if person is None:
            if form is not self.carried and "person" in form.errors:
                return  # the person typed was not found: that error says it
            form.add_error(
                field, _("Only a named person can head the delegation: give the person.")
            )
            return
        if person.pk == self.delegation.head_id:
            return
        marking = self.delegation.security_marking
        if self.form is not None:
            marking = self.form.cleaned_data.get("security_marking", marking)
        rank = SecurityMarking.values.index
        if rank(person.security_marking) > rank(marking):
            form.add_error(
                field,
                _(
                    "%(person)s is marked %(marking)s, above this delegation: mark the "
                    "delegation %(marking)s to make them its head."
                )
                % {"person": person, "marking": person.get_security_marking_display()},
            )
            return
        self.head_changes, self.head = True, person

    def save(self) -> Delegation:
        """Save the delegation, its members and the members confirmed, in one transaction."""
        user = self.user
        with transaction.atomic():
            delegation = self.delegation if self.form is None else self.form.save(commit=False)
            if self.head_changes:
                delegation.head = self.head
            if self.form is not None or self.head_changes:
                stamp(delegation, user, is_new=delegation.pk is None)
                delegation.save()
            self.members.instance = delegation
            for form in self.members.forms:
                if form.has_changed():
                    stamp(form.instance, user, is_new=form.instance.pk is None)
            self.members.save()
            if self.carried is not None:
                services.delegation_members_carry(
                    delegation=delegation, confirmed=self.carried.confirmed(), user=user
                )
            if not self.side.head_hidden:
                services.delegation_roles_sync(delegation=delegation, user=user)
        return delegation


def _says(form, message) -> bool:
    """Whether the model's own checks already refused the row with this message (the database
    holds the person already: DelegationMember's constraint), so it is not said twice."""
    return str(message) in form.non_field_errors()
