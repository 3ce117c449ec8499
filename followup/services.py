"""Writes for follow-up that are more than a form save: closing a project, the reminder e-mails.

The pages, the admin and the API all close a project through `project_close_check` (before the
save: may it close?) and `project_close` (in the same transaction as the save: its open actions).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.forms import stamp
from core.models import SecurityMarking, within_clearance
from core.references import reading_as
from followup.models import FollowUpAction, FollowUpProject, Reminder


class OpenActionsOutcome(models.TextChoices):
    """What becomes of a project's open actions when it is completed or cancelled."""

    DONE = FollowUpAction.Status.DONE, _("Mark them done today")
    DROPPED = FollowUpAction.Status.DROPPED, _("Mark them dropped")


def project_close_check(*, project, status: str, user, open_actions: str = "") -> None:
    """Refuse to give `project` (as stored) the closed `status` while it has open actions and
    `open_actions` does not say what becomes of them, or while some of them are above the
    user's clearance (nobody closes, or learns the number of, actions they may not see).

    Raises ValidationError on the status field; a change that does not close the project, or a
    new project, passes."""
    if status not in FollowUpProject.CLOSED or project.pk is None or status == project.status:
        return
    open_ = project.actions.open()
    if open_.exclude(within_clearance(user)).exists():
        raise ValidationError(
            {
                "status": _(
                    "Some of this project's open actions are marked above your clearance, so "
                    "you cannot close it; ask someone cleared to see them."
                )
            }
        )
    if open_actions in OpenActionsOutcome.values:
        return
    count = open_.count()
    if count:
        raise ValidationError(
            {
                "status": ngettext(
                    "This project still has %(count)d open action. Say what happens to it "
                    "before closing the project.",
                    "This project still has %(count)d open actions. Say what happens to them "
                    "before closing the project.",
                    count,
                )
                % {"count": count}
            }
        )


def project_close(*, project, user, open_actions: str = "") -> int:
    """Once `project` is saved completed or cancelled, close its open actions as `open_actions`
    says ("done" today or "dropped"), each with its own history entry; call it in the save's
    transaction, after `project_close_check`. Returns how many actions it closed."""
    if project.status not in FollowUpProject.CLOSED or open_actions not in OpenActionsOutcome:
        return 0
    actions = list(project.actions.open().visible_to(user))
    for action in actions:
        action.status = open_actions
        action.completed_on = timezone.localdate() if open_actions == action.Status.DONE else None
        stamp(action, user, is_new=False)
        action.save()
    return len(actions)


# A reminder names an action up to this marking; above it, the e-mail only says one is due.
EMAIL_MARKINGS = (SecurityMarking.UNCLASSIFIED, SecurityMarking.PROTECTED_A)


@dataclass
class ReminderRun:
    sent: int = 0  # e-mails
    actions: int = 0  # actions reminded of
    already: int = 0  # actions already reminded of today
    unassigned: list = field(default_factory=list)  # due actions with nobody to e-mail


def due_actions(*, today: datetime.date, days: int):
    """Open actions overdue or due within `days` days."""
    return (
        FollowUpAction.objects.open()
        .filter(due_date__lte=today + datetime.timedelta(days=days))
        .select_related("assignee", "round__dialogue", "project")
        .order_by("due_date", "pk")
    )


def send_reminders(*, days: int, today: datetime.date | None = None) -> ReminderRun:
    """E-mail each assignee their actions overdue or due soon, once per action per day.

    Safe to run from cron, and twice at once: an action is claimed by inserting its reminder
    row for the day (unique per action and day) in the same transaction as the sending, so a
    second run skips it, and a failed send leaves it unclaimed for the next run.
    """
    today = today or timezone.localdate()
    run = ReminderRun()
    by_user = defaultdict(list)
    for action in due_actions(today=today, days=days):
        user = action.assignee
        if user is None or not user.is_active or not user.email:
            run.unassigned.append(action)
            continue
        if not action.is_visible_to(user):
            continue  # never e-mail someone about a record above their clearance
        by_user[user].append(action)
    reminded = set(
        Reminder.objects.filter(
            day=today, action__in=[a for v in by_user.values() for a in v]
        ).values_list("action_id", flat=True)
    )
    for user, actions in by_user.items():
        with transaction.atomic():
            claimed = []
            for action in actions:
                if action.pk in reminded:
                    run.already += 1
                    continue
                _reminder, created = Reminder.objects.get_or_create(
                    action=action, day=today, defaults={"recipient": user.email}
                )
                if created:
                    claimed.append(action)
                else:
                    run.already += 1
            if claimed:
                _send(user, claimed, today)
                run.sent += 1
                run.actions += len(claimed)
    return run


def _send(user, actions, today) -> None:
    # Read by the recipient: a project or round above their clearance is a placeholder.
    with translation.override(user.language or settings.LANGUAGE_CODE), reading_as(user):
        context = {
            "user": user,
            "overdue": [a for a in actions if a.is_overdue(today)],
            "soon": [a for a in actions if not a.is_overdue(today)],
            "email_markings": EMAIL_MARKINGS,
            "actions_url": settings.SITE_URL + reverse("followup:action_list") + "?mine=true",
            "today": today,
        }
        subject = ngettext(
            "Dialogue Tracker: %(count)d follow-up action needs you",
            "Dialogue Tracker: %(count)d follow-up actions need you",
            len(actions),
        ) % {"count": len(actions)}
        body = render_to_string("followup/email/reminder.txt", context)
    send_mail(subject, body, None, [user.email])
