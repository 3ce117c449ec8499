"""Measure every page against this database (see dialogue/speed.py); `make bench` runs it."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dialogue import speed
from dialogue.runtime import tune_garbage_collector


class Command(BaseCommand):
    help = "Time every page, its SQL alone and its admin counterpart; print JSON lines."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=30, help="Requests per page.")
        parser.add_argument("--only", nargs="*", help="Measure only these pages (by name).")
        parser.add_argument("--output", "-o", help="Write the results to this JSON file.")

    def handle(self, *args, repeat, only, output, **options):
        if not settings.SERVER_TIMING:
            raise CommandError("Set SERVER_TIMING=true: the times come from its header.")
        if repeat < 2:
            raise CommandError("--repeat must be at least 2.")
        tune_garbage_collector()  # as in gunicorn's workers (dialogue/wsgi.py)
        results = speed.measure(
            repeat=repeat,
            only=only,
            log=lambda result: self.stderr.write(f"  {result.name}: {result.median_ms} ms"),
        )
        rows = [result.as_dict() for result in results]
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                json.dump(rows, handle, indent=2)
        else:
            self.stdout.write(json.dumps(rows, indent=2))
