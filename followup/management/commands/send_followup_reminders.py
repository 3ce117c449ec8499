"""E-mail each assignee their follow-up actions overdue or due soon; run it daily from cron."""

from django.conf import settings
from django.core.management.base import BaseCommand

from followup.services import send_reminders


class Command(BaseCommand):
    help = (
        "E-mail each assignee their open follow-up actions that are overdue or due within "
        "--days days, at most once per action per day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.REMINDER_DAYS,
            help="Remind of actions due within this many days (default: REMINDER_DAYS).",
        )

    def handle(self, *args, days, **options):
        if days < 0:
            self.stderr.write("--days cannot be negative.")
            raise SystemExit(2)
        run = send_reminders(days=days)
        self.stdout.write(
            f"Sent {run.sent} e-mail(s) about {run.actions} action(s); "
            f"{run.already} action(s) already reminded of today."
        )
        if run.unassigned:
            self.stdout.write(
                f"{len(run.unassigned)} due action(s) have no assignee with an e-mail address:"
            )
            for action in run.unassigned:
                self.stdout.write(f"  #{action.pk} {action.due_date:%Y-%m-%d} {action.title}")
