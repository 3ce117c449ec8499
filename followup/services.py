"""Writes for follow-up that are more than a form save: the reminder e-mails."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from core.models import SecurityMarking
from core.references import reading_as
from followup.models import FollowUpAction, Reminder

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
        FollowUpAction.objects.filter(
            status__in=FollowUpAction.OPEN_STATUSES,
            due_date__lte=today + datetime.timedelta(days=days),
        )
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
            "overdue": [a for a in actions if a.due_date < today],
            "soon": [a for a in actions if a.due_date >= today],
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
