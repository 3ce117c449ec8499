"""Time an admin import of agenda items against this database (see dialogue/speed.py)."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand

from dialogue import speed


class Command(BaseCommand):
    help = "Import agenda items through the admin (preview, then confirm), timed; rolled back."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=None, help="Default: IMPORT_MAX_ROWS.")
        parser.add_argument("--output", "-o", help="Write the result to this JSON file.")

    def handle(self, *args, rows, output, **options):
        result = speed.measure_import(rows=rows or settings.IMPORT_MAX_ROWS)
        text = json.dumps(result, indent=2)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            self.stdout.write(text)
