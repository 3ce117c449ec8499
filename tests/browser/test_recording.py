"""A dialogue officer records round 10 of the Canada–China dialogue in the product, from
round 9, without opening the admin; the round's page and the dashboard show what was recorded."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from rounds.models import AgendaItem, Commitment, Round

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def assert_no_violation(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_an_officer_records_round_10_from_round_9(sign_in, live_server):
    page = sign_in("officer")
    page.goto(f"{live_server.url}/rounds/dialogues/canada-china-jchr/")
    page.get_by_role("link", name="Record a new round").click()
    expect(page.get_by_label("Number")).to_have_value("10")
    page.get_by_label("Start date").fill("2027-09-14")
    page.get_by_label("Cities").fill("Ottawa")
    assert_no_violation(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("created")
    round_ = Round.objects.get(dialogue__slug="canada-china-jchr", number=10)
    assert page.url.endswith(f"/rounds/{round_.pk}/edit/")
    assert_no_violation(page)

    # Three of round 9's items, one click each.
    carried = page.locator("#agenda .carry-list")
    for title in (
        "Overall review of the human rights situation in China and Canada",
        "List of cases of concern",
        "Police violence and accountability",
    ):
        carried.get_by_role("button", name=f"Add “{title}” to this agenda").click()
        expect(page.get_by_role("status").first).to_contain_text("is on this round's agenda")
    # A new item, with a new topic named on its line, and what each side said.
    page.locator('[name="agenda-3-title"]').fill("Use of force by police at demonstrations")
    page.locator('[name="agenda-3-order"]').fill("4")
    page.locator('[name="agenda-3-new_topic"]').fill("Use of force in policing")
    page.locator('[name="agenda-3-our_points"]').fill("Asked for the rules on firearms.")
    page.locator('[name="agenda-3-partner_answer"]').fill("Promised to send the regulation.")
    page.get_by_role("button", name="Save “Agenda, and what each side said”").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved")
    assert AgendaItem.objects.filter(round=round_).count() == 4

    # One commitment by each side; the first row refused until it says what shows it met.
    new_item = AgendaItem.objects.get(round=round_, title__startswith="Use of force")
    rows = (
        ("0", "partner", "Send the police firearms regulation", "met"),
        ("1", "lead", "Host a study visit on police oversight", "open"),
    )
    for index, side, text, status in rows:
        prefix = f"commitments-{index}"
        page.locator(f'[name="{prefix}-side"]').select_option(side)
        page.locator(f'[name="{prefix}-agenda_item"]').select_option(str(new_item.pk))
        page.locator(f'[name="{prefix}-text"]').fill(text)
        page.locator(f'[name="{prefix}-status"]').select_option(status)
        page.get_by_role("button", name="Save “Commitments”").click()
        if status == "met":
            expect(page.get_by_role("alert").first).to_contain_text("was not saved")
            expect(page.locator(f'[name="{prefix}-text"]')).to_have_value(text)
            assert_no_violation(page)
            page.locator(f'[name="{prefix}-evidence"]').fill("Received on 2027-11-02.")
            page.get_by_role("button", name="Save “Commitments”").click()
        expect(page.get_by_role("status").first).to_contain_text("Saved")
    assert Commitment.objects.filter(round=round_).count() == 2

    # The round's page and the dashboard show it; the officer never opened /admin/.
    page.get_by_role("link", name="See the round's page").click()
    expect(page.get_by_text("Promised to send the regulation.")).to_be_visible()
    expect(page.get_by_text("Host a study visit on police oversight")).to_be_visible()
    page.goto(f"{live_server.url}/?dialogue=canada-china-jchr")
    expect(page.get_by_role("link", name="Host a study visit on police oversight")).to_be_visible()

    # In French too.
    page.goto(f"{live_server.url}/fr/rounds/{round_.pk}/edit/")
    expect(page.get_by_role("heading", name="Engagements", exact=True)).to_be_visible()
    assert_no_violation(page)
