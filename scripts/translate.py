"""Fill French translations into the catalogue: `python scripts/translate.py FILE.json`.

FILE.json maps each English msgid to its French (a list of two for plural entries). Entries
given are set and lose their fuzzy flag; run `make messages` afterwards to compile.
"""

import json
import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def main(path: str) -> None:
    translations = json.loads(Path(path).read_text(encoding="utf-8"))
    catalogue = polib.pofile(str(CATALOGUE))
    for entry in catalogue:
        french = translations.get(entry.msgid)
        if french is None:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = dict(enumerate(french))
        else:
            entry.msgstr = french
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    catalogue.save()
    left = [e.msgid for e in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
    print(f"{len(left)} entries still to translate", *left, sep="\n")


if __name__ == "__main__":
    main(sys.argv[1])
