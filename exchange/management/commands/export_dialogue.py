"""Write one dialogue, its rounds and everything under them as JSON (see exchange/exchange.py)."""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from exchange.exchange import export_dialogue
from rounds.models import Dialogue


class Command(BaseCommand):
    help = "Export a dialogue as JSON, scoped to what the given user may see."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The dialogue's slug, e.g. canada-china-jchr.")
        parser.add_argument("--as", dest="username", required=True, help="Export as this user.")
        parser.add_argument("--output", "-o", help="Write to this file (default: standard output).")

    def handle(self, *args, slug, username, output=None, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        dialogue = Dialogue.objects.filter(slug=slug).first()
        if dialogue is None:
            raise CommandError(f"No dialogue with the slug {slug!r}.")
        text = json.dumps(export_dialogue(dialogue, user=user), ensure_ascii=False, indent=1)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"Wrote {output}.")
        else:
            self.stdout.write(text)
