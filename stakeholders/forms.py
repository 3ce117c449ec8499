"""The officers' forms: a consultation around a round, with the requests the NGOs made there
and the answers they were given."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from core.forms import ScopedForm
from core.lookups import LookupField, LookupMultipleField
from stakeholders.models import Consultation, ConsultationRequest
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


class RequestForm(forms.ModelForm):
    """One request and, once given, its answer and the date it was given."""

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

    def __init__(self, *args, **kwargs):
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


class BaseRequestFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this request")
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


RequestFormSet = inlineformset_factory(
    Consultation,
    ConsultationRequest,
    form=RequestForm,
    formset=BaseRequestFormSet,
    extra=2,
    can_delete=True,
)
