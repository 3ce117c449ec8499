"""The translation gap: the share of our materials the partner could read in its language."""

import pytest

from core.models import Side
from reports import translation_gap as selectors
from rounds.models import Round
from tests.rounds.factories import MaterialFactory, RoundFactory

pytestmark = pytest.mark.django_db


def test_the_share_of_our_materials_in_the_partners_language(analyst, analyst_client):
    round_ = RoundFactory()  # a dialogue with China
    MaterialFactory(round=round_, provided_by=Side.LEAD, in_english=True, in_chinese=True)
    MaterialFactory(round=round_, provided_by=Side.LEAD, in_english=True, in_french=True)
    MaterialFactory(round=round_, provided_by=Side.LEAD, in_english=True)
    MaterialFactory(round=round_, provided_by=Side.PARTNER, in_english=False, in_chinese=True)
    RoundFactory()  # no materials: left out
    (row,) = selectors.translation_gap(Round.objects.all(), user=analyst)
    assert (row.to_partner, row.in_partner_language, row.share, row.from_partner) == (3, 1, 33, 1)
    assert row.by_language == {"en": 3, "fr": 1, "zh": 2}
    page = analyst_client.get("/rounds/translation-gap/").text
    assert "33%" in page


def test_a_partner_whose_language_is_not_recorded_has_no_share(analyst):
    round_ = RoundFactory(dialogue__partner_party="IR")
    MaterialFactory(round=round_, provided_by=Side.LEAD, in_english=True)
    (row,) = selectors.translation_gap(Round.objects.all(), user=analyst)
    assert row.share is None
