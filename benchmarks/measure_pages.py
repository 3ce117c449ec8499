"""Time every page against the configured database (see benchmarks/pages.py); `make bench` runs it.

python -m benchmarks.measure_pages --repeat 30 --output var/pages.json
"""

import argparse
import json
import os
import sys


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description="Time every page, its SQL alone and its admin counterpart; print JSON."
    )
    parser.add_argument("--repeat", type=int, default=30, help="Requests per page.")
    parser.add_argument("--only", nargs="*", help="Measure only these pages (by name).")
    parser.add_argument("--output", "-o", help="Write the results to this JSON file.")
    options = parser.parse_args(argv)
    if options.repeat < 2:
        parser.error("--repeat must be at least 2.")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialogue.settings")
    import django

    django.setup()
    from django.conf import settings

    from benchmarks import pages
    from core.runtime import tune_garbage_collector

    if not settings.SERVER_TIMING:
        parser.error("Set SERVER_TIMING=true: the times come from its header.")
    tune_garbage_collector()  # as in gunicorn's workers (dialogue/wsgi.py)
    results = pages.measure(
        repeat=options.repeat,
        only=options.only,
        log=lambda result: print(f"  {result.name}: {result.median_ms} ms", file=sys.stderr),
    )
    text = json.dumps([result.as_dict() for result in results], indent=2)
    if options.output:
        with open(options.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
