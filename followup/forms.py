"""The planners' forms: a project with its links and status, an action with its owner."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import visible
from core.forms import ScopedForm, stamp
from core.lookups import LookupField, LookupMultipleField
from followup.models import FollowUpAction, FollowUpProject

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(ScopedForm):
    OUTCOMES = [
        ("", _("Not decided: keep the project open")),
        (FollowUpAction.Status.DONE, _("Mark them done today")),
        (FollowUpAction.Status.DROPPED, _("Mark them dropped")),
    ]
    open_actions = forms.ChoiceField(
        label=_("Open actions, if the project is completed or cancelled"),
        choices=OUTCOMES,
        required=False,
        help_text=_("A project closes only once you say what happens to its open actions."),
    )

    class Meta:
        model = FollowUpProject
        fields = [
            "title",
            "reference",
            "status",
            "proposed_by",
            "lead_agency",
            "partner_organizations",
            "originating_rounds",
            "topics",
            "start_date",
            "end_date",
            "budget_cad",
            "objectives",
            "results",
            "security_marking",
        ]
        widgets = {"start_date": DATE, "end_date": DATE}
        # Thousands of organizations and rounds at scale: text boxes with suggestions.
        field_classes = {
            "lead_agency": LookupField,
            "partner_organizations": LookupMultipleField,
            "originating_rounds": LookupMultipleField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["originating_rounds"].queryset = self.fields[
            "originating_rounds"
        ].queryset.select_related("dialogue")
        if self.instance.pk:
            current = self.instance.Status(self.instance.status)
            allowed = [current, *self.instance.next_statuses]
            status = self.fields["status"]
            status.choices = [(value, label) for value, label in status.choices if value in allowed]
            status.error_messages["invalid_choice"] = _(
                "A project cannot go from “%(old)s” to that status. From “%(old)s” it can "
                "become: %(allowed)s."
            ) % {"old": current.label, "allowed": ", ".join(str(s.label) for s in allowed[1:])}

    def clean(self):
        cleaned = super().clean()
        # The model's rule asks for this decision; the form is where the user gives it.
        self.instance.open_actions_outcome = cleaned.get("open_actions", "")
        if cleaned.get("status") in FollowUpProject.CLOSED and self._hidden_open_actions():
            # Nobody closes, or learns the number of, actions above their clearance.
            self.instance.open_actions_outcome = "refused"  # this error stands in for the count
            self.add_error(
                "status",
                _(
                    "Some of this project's open actions are marked above your clearance, so "
                    "you cannot close it; ask someone cleared to see them."
                ),
            )
        return cleaned

    def _hidden_open_actions(self) -> bool:
        if not self.instance.pk:
            return False
        return (
            self.instance.open_actions()
            .exclude(security_marking__in=self.user.visible_markings)
            .exists()
        )

    def settle_open_actions(self, user) -> int:
        """Close the open actions the way the user chose, each with its own history entry."""
        outcome = self.cleaned_data.get("open_actions")
        if not outcome or self.instance.status not in FollowUpProject.CLOSED:
            return 0
        actions = list(visible(self.instance.open_actions(), user))
        for action in actions:
            action.status = outcome
            action.completed_on = timezone.localdate() if outcome == action.Status.DONE else None
            stamp(action, user, is_new=False)
            action.save()
        return len(actions)


class ActionForm(ScopedForm):
    class Meta:
        model = FollowUpAction
        fields = [
            "title",
            "description",
            "round",
            "project",
            "owner_organization",
            "owner_person",
            "assignee",
            "due_date",
            "status",
            "completed_on",
            "security_marking",
        ]
        widgets = {"due_date": DATE, "completed_on": DATE}
        field_classes = {
            "round": LookupField,
            "project": LookupField,
            "owner_organization": LookupField,
            "owner_person": LookupField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = self.fields["round"].queryset.select_related("dialogue")
        self.fields["assignee"].queryset = get_user_model().objects.filter(is_active=True)
        self.fields["completed_on"].help_text = _("Only for a done action; not in the future.")
