"""Materials and the translation gap: which documents exist in the partner's language."""

from collections import defaultdict
from dataclasses import dataclass

from core.access import visible
from core.models import Side
from rounds.models import Material, Round

# The language a party reads, as the Material flag that says a document exists in it. Only the
# three languages materials are recorded in are known; other parties are left out of the share.
PARTY_LANGUAGE = {"CN": "zh", "TW": "zh", "HK": "zh", "MO": "zh", "CA": "en+fr", "FR": "fr"}


@dataclass
class MaterialGap:
    round: Round
    to_partner: int  # materials the lead side handed to the partner
    in_partner_language: int | None  # None when the partner's language is not recorded
    from_partner: int
    by_language: dict  # {"en": n, "fr": n, "zh": n} over every material of the round
    with_files: list  # the round's materials that have a file in some language, to download

    @property
    def share(self) -> int | None:
        if self.in_partner_language is None or not self.to_partner:
            return None
        return round(100 * self.in_partner_language / self.to_partner)


def translation_gap(rounds, *, user) -> list[MaterialGap]:
    """Per round with materials: what each side provided, in which languages, and the share of
    the lead side's materials that exist in the partner's language."""
    materials = defaultdict(list)
    for material in visible(Material, user).filter(round__in=rounds.values("pk")):
        materials[material.round_id].append(material)
    # Only the rounds with materials have a row: at scale a thousand rounds, a few with them.
    rounds = {r.pk: r for r in rounds.filter(pk__in=list(materials)).select_related("dialogue")}
    rows = []
    for pk, round_ in sorted(rounds.items(), key=lambda item: item[1].start_date):
        found = materials[pk]
        if not found:
            continue
        language = PARTY_LANGUAGE.get(round_.dialogue.partner_party.code)
        ours = [m for m in found if m.provided_by == Side.LEAD]
        rows.append(
            MaterialGap(
                round=round_,
                to_partner=len(ours),
                in_partner_language=(
                    sum(1 for m in ours if _exists_in(m, language)) if language else None
                ),
                from_partner=sum(1 for m in found if m.provided_by == Side.PARTNER),
                by_language={
                    code: sum(1 for m in found if code in m.languages)
                    for code in ("en", "fr", "zh")
                },
                with_files=[m for m in found if m.files],
            )
        )
    return rows


def _exists_in(material, language: str) -> bool:
    return all(code in material.languages for code in language.split("+"))
