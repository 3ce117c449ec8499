"""Load deterministic synthetic data at a scale (see demo/synthetic.py)."""

import time

from django.core.management.base import BaseCommand, CommandError

from demo import synthetic as demo


class Command(BaseCommand):
    help = "Create synthetic dialogues, rounds, people, projects, actions and cases at a scale."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 is 100× the report.")
        parser.add_argument("--seed", type=int, default=2005, help="The same seed, the same data.")

    def handle(self, *args, scale, seed, **options):
        if not 0 < scale <= 10:
            raise CommandError("--scale must be more than 0 and at most 10.")
        if demo.exists():
            raise CommandError("Demo data is already loaded; start from an empty database.")
        started = time.perf_counter()
        counts = demo.generate(scale=scale, seed=seed)
        for kind, count in counts.items():
            self.stdout.write(f"{count:8d} {kind}")
        self.stdout.write(f"Scale {scale} loaded in {time.perf_counter() - started:.1f} s.")
