"""Text compared as a reader means it: without case, accents or punctuation, so that
"Canada-China", "canada china" and "Canada–China" (an en dash) are the same words."""

import re
import unicodedata

# Letters and digits of any script; anything else (hyphens, dashes, "#", "°") separates words.
WORD = re.compile(r"[^\W_]+")


def plain(text: str) -> str:
    """`text` folded for comparison: lower case, compatibility forms and no accents
    ("Séance" → "seance", "nº" → "no", full-width digits → digits)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def plain_words(text: str) -> list[str]:
    """The words of `text`, each folded by `plain`."""
    return WORD.findall(plain(text))
