"""The planners' forms: a project with its links and status, an action with its owner."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import ScopedForm
from core.lookups import LookupField, LookupMultipleField
from followup.models import FollowUpAction, FollowUpProject
from followup.services import OpenActionsOutcome, project_close, project_close_check

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ClosingProjectForm(forms.ModelForm):
    """A project form that asks what becomes of the open actions when the project closes, for
    the product's pages and the admin alike (the rule is in followup/services.py). `user` is
    set by ScopedForm or, in the admin, by `scoped_form_class`."""

    open_actions = forms.ChoiceField(
        label=_("Open actions, if the project is completed or cancelled"),
        choices=[("", _("Not decided: keep the project open")), *OpenActionsOutcome.choices],
        required=False,
        help_text=_("A project closes only once you say what happens to its open actions."),
    )

    def clean(self):
        cleaned = super().clean()
        try:
            project_close_check(
                project=self.instance,
                status=cleaned.get("status"),
                user=self.user,
                open_actions=cleaned.get("open_actions", ""),
            )
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned

    def close(self) -> int:
        """Once the project is saved: close its open actions as the user chose, if it is now
        closed. Returns how many it closed."""
        return project_close(
            project=self.instance, user=self.user, open_actions=self.cleaned_data["open_actions"]
        )


class ProjectForm(ClosingProjectForm, ScopedForm):
    class Meta:
        model = FollowUpProject
        fields = [
            "title",
            "title_fr",
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
            "objectives_fr",
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
        topics = self.fields["topics"]
        topics.queryset = topics.queryset.only("pk", "name", "name_fr")
        if self.instance.pk:
            current = self.instance.Status(self.instance.status)
            allowed = [current, *self.instance.next_statuses]
            status = self.fields["status"]
            status.choices = [(value, label) for value, label in status.choices if value in allowed]
            status.error_messages["invalid_choice"] = _(
                "A project cannot go from “%(old)s” to that status. From “%(old)s” it can "
                "become: %(allowed)s."
            ) % {"old": current.label, "allowed": ", ".join(str(s.label) for s in allowed[1:])}


class AssigneeField(forms.ModelChoiceField):
    """A user by name (full name, else username)."""

    def label_from_instance(self, obj):
        return obj.display_name


def may_act_on_followup(keep=None):
    """The active users who may change follow-up actions, those an action can be assigned to
    (and `keep`, an assignee who has since lost the permission, so that a save keeps them)."""
    users = get_user_model().objects
    acting = users.with_perm(
        "followup.change_followupaction", backend="core.backends.PermissionBackend"
    )
    return users.filter(Q(pk__in=acting.values("pk")) | Q(pk=keep)).order_by(
        "first_name", "last_name", "username"
    )


class ActionForm(ScopedForm):
    """An action and its one owner: an assignee (a user who acts on follow-up), optionally the
    organization that carries it out."""

    class Meta:
        model = FollowUpAction
        fields = [
            "title",
            "description",
            "round",
            "project",
            "commitment",
            "assignee",
            "owner_organization",
            "due_date",
            "status",
            "completed_on",
            "security_marking",
        ]
        widgets = {"due_date": DATE, "completed_on": DATE}
        field_classes = {
            "round": LookupField,
            "project": LookupField,
            "commitment": LookupField,
            "owner_organization": LookupField,
            "assignee": AssigneeField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = self.fields["round"].queryset.select_related("dialogue")
        self.fields["assignee"].queryset = may_act_on_followup(keep=self.instance.assignee_id)
        self.fields["completed_on"].help_text = _("Only for a done action; not in the future.")
        commitments = self.fields["commitment"]
        commitments.queryset = commitments.queryset.select_related("round__dialogue")

    def clean(self):
        cleaned = super().clean()
        commitment, round_ = cleaned.get("commitment"), cleaned.get("round")
        if commitment and round_ and commitment.round_id != round_.pk:
            self.add_error(
                "commitment",
                _("This commitment was made at another round than the one the action arises from."),
            )
        return cleaned
