"""The briefing pack of round 11, printed: the marking heads and foots the sheet, the site's
navigation is left off, the sheets are numbered; axe-core finds nothing on the page in English
or in French. The first printed page is kept as an image (PRINTED), the whole pack as a PDF."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import expect

from tests.rounds.test_briefing_pack import build_rounds_10_and_11

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PRINTED = SCREENSHOTS / "briefing-print-first-page.png"
PDF = SCREENSHOTS / "briefing-print.pdf"
A4 = {"width": 794, "height": 1123}  # CSS pixels at 96 per inch


def assert_no_violation(page):
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_pack_prints_with_its_marking_and_without_navigation(sign_in, live_server):
    page = sign_in("case_officer")
    _tenth, eleventh = build_rounds_10_and_11()
    url = f"{live_server.url}/rounds/{eleventh.pk}/briefing/"
    page.goto(url)
    expect(page.get_by_role("heading", name="Cases to raise")).to_be_visible()
    assert_no_violation(page)
    page.goto(f"{live_server.url}/fr/rounds/{eleventh.pk}/briefing/")
    expect(page.get_by_text("septembre 2027").first).to_be_visible()
    assert_no_violation(page)

    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.set_viewport_size(A4)
    page.emulate_media(media="print")
    # On paper: the marking at the head and the foot, no navigation, no screen-only notes.
    markings = page.locator(".print-marking")
    expect(markings.first).to_be_visible()
    expect(markings.first).to_have_text("Security marking: Protected B")
    expect(markings.last).to_have_text("Security marking: Protected B")
    expect(page.locator("gcds-header")).to_be_hidden()
    expect(page.locator("gcds-footer")).to_be_hidden()
    expect(page.locator(".security-banner").first).to_be_hidden()
    expect(page.get_by_text("Download it as a Word document")).to_be_hidden()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=PRINTED, clip={"x": 0, "y": 0, **A4})
    assert PRINTED.stat().st_size > 10_000
    # Printed to PDF as the browser's Print command does: several numbered sheets.
    pdf = page.pdf(path=PDF, format="A4", print_background=True, prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type /Page/") > 1
