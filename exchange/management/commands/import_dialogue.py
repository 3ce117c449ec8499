"""Load a dialogue exported by export_dialogue into a database that holds none of its records."""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from exchange.exchange import ExchangeError, import_dialogue


class Command(BaseCommand):
    help = "Import a dialogue exported as JSON; all or nothing, keeping every key."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file written by export_dialogue.")
        parser.add_argument(
            "--as", dest="username", required=True, help="Record the import as this user."
        )

    def handle(self, *args, file, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        try:
            with open(file, encoding="utf-8") as handle:
                document = json.load(handle)
        except (OSError, ValueError) as error:
            raise CommandError(f"{file}: {error}") from error
        try:
            counts = import_dialogue(document, user=user)
        except ExchangeError as error:
            raise CommandError(f"{file}: {error} Nothing was imported.") from error
        for kind, count in sorted(counts.items()):
            self.stdout.write(f"{count:6d} {kind}")
