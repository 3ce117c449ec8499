"""Delete what has outlived its use: expired sessions, and create forms' one-time tokens."""

from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from core.models import FormSubmission


class Command(BaseCommand):
    help = (
        "Delete expired sessions (Django's clearsessions) and the one-time tokens of create "
        "forms sent more than SESSION_MAX_HOURS ago. Run it daily from cron."
    )

    def handle(self, *args, **options):
        call_command("clearsessions")
        # A token answers a form sent again (core/submissions.py). A form is drawn within a
        # session, which ends SESSION_MAX_HOURS after sign-in at the latest; signing in again
        # gives a new CSRF token, so the old page cannot be sent again after that anyway.
        cutoff = timezone.now() - timedelta(hours=settings.SESSION_MAX_HOURS)
        deleted, _by_model = FormSubmission.objects.filter(at__lt=cutoff).delete()
        cutoff = timezone.localtime(cutoff)  # in TIME_ZONE, as the operator reads it
        self.stdout.write(f"Deleted {deleted} form token(s) older than {cutoff:%Y-%m-%d %H:%M %Z}.")
