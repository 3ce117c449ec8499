"""Time an admin import of agenda items, and saving a round's sections on its recording page,
against the configured database (see benchmarks/pages.py).

python -m benchmarks.measure_import --rows 1000 --output var/import.json
"""

import argparse
import json
import os


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description="Import agenda items through the admin (preview, then confirm), timed; "
        "rolled back."
    )
    parser.add_argument("--rows", type=int, default=None, help="Default: IMPORT_MAX_ROWS.")
    parser.add_argument("--output", "-o", help="Write the result to this JSON file.")
    options = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialogue.settings")
    import django

    django.setup()
    from django.conf import settings

    from benchmarks import pages

    result = pages.measure_import(rows=options.rows or settings.IMPORT_MAX_ROWS)
    result["saves"] = pages.measure_saves()
    text = json.dumps(result, indent=2)
    if options.output:
        with open(options.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
