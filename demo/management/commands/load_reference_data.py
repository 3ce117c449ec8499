"""Load the report's facts and the other dialogues with China from data/reference.yaml."""

from django.core.management.base import BaseCommand, CommandError

from demo.reference import REFERENCE_DATA_PATH, ReferenceDataError, reference_data_load
from rounds.models import Dialogue


class Command(BaseCommand):
    help = "Load the reference data idempotently, in one transaction (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(REFERENCE_DATA_PATH), help="The YAML file.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already holds a dialogue (used by `make run`, "
            "so that edits made in the application are never overwritten).",
        )

    def handle(self, *args, file, if_empty, **options):
        if if_empty and Dialogue.objects.exists():
            self.stdout.write("Reference data already present; not loaded again.")
            return
        try:
            report = reference_data_load(path=file)
        except ReferenceDataError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        for label, tally in (
            ("created", report.created),
            ("updated", report.updated),
            ("unchanged", report.unchanged),
        ):
            if tally:
                parts = ", ".join(f"{count} {name}" for name, count in sorted(tally.items()))
                self.stdout.write(f"{label}: {parts}")
        if not report.changed:
            self.stdout.write(self.style.SUCCESS("The database already matched the file."))
