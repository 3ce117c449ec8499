"""The admin's round page on a 1366×768 screen: its sections start folded, and opened they fit
the width, tables included. Another role opening the admin is told it is the administrators'."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.rounds.factories import (
    AgendaItemFactory,
    CommitmentFactory,
    MaterialFactory,
    RoundFactory,
    SiteVisitFactory,
)
from tests.stakeholders.factories import DelegationFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTIONS = ["agenda_items", "commitments", "site_visits", "delegations", "materials"]
LONG = "A long title about legal aid, the courts and the right to counsel in detention"


@pytest.fixture
def browser_context_args(browser_context_args):
    # A laptop's screen, in the officers' time zone.
    return {
        **browser_context_args,
        "viewport": {"width": 1366, "height": 768},
        "timezone_id": "America/Toronto",
    }


def full_round():
    round_ = RoundFactory(cities="Beijing, Chengdu, Lhasa")
    for index in range(10):
        AgendaItemFactory(round=round_, order=index, title=f"{LONG} ({index})")
    for index in range(5):
        CommitmentFactory(round=round_, undertaken_by="Ministry of Justice", text=LONG)
        MaterialFactory(round=round_, title=f"{LONG} ({index})", shared_in_advance=True)
    for city in ("Chengdu", "Lhasa"):
        SiteVisitFactory(round=round_, city=city, purpose=LONG)
    head = PersonFactory(full_name="Someone With A Rather Long Name And Title")
    DelegationFactory(round=round_, side="lead", head=head, head_title=LONG)
    DelegationFactory(round=round_, side="partner", head=PersonFactory())
    return round_


def overflow(page) -> dict:
    """How far the page, and each section's table, runs past the screen's width (0: it fits)."""
    return page.evaluate(
        """() => ({
            page: document.documentElement.scrollWidth - window.innerWidth,
            tables: Array.from(document.querySelectorAll(".inline-group div.wrapper")).map(
                (wrapper) => [wrapper.closest(".inline-group").id,
                              wrapper.scrollWidth - wrapper.clientWidth]),
        })"""
    )


def test_the_round_page_is_folded_and_fits_1366_pixels(sign_in, live_server):
    round_ = full_round()
    page = sign_in("administrator")
    page.goto(f"{live_server.url}/admin/rounds/round/{round_.pk}/change/")

    for prefix in SECTIONS:
        section = page.locator(f"#{prefix}-group details")
        assert section.count() == 1, f"{prefix} cannot be folded"
        assert not section.evaluate("details => details.open"), f"{prefix} starts open"
    assert overflow(page)["page"] <= 0
    # Folded, the page is a screen or two rather than thousands of pixels of rows.
    assert page.evaluate("document.documentElement.scrollHeight") < 2000

    for summary in page.locator("#content-main summary").all():
        summary.click()
    widths = overflow(page)
    assert widths["page"] <= 0, widths
    assert len(widths["tables"]) == len(SECTIONS)
    assert all(over <= 0 for _prefix, over in widths["tables"]), widths
    assert page.get_by_text(f"{LONG} (9)").first.is_visible()


def test_an_officer_opening_the_admin_is_told_where_their_work_is(sign_in, live_server):
    page = sign_in("officer")
    response = page.goto(f"{live_server.url}/admin/rounds/round/")
    assert response.status == 403
    assert page.get_by_role("heading", name="The admin is for administrators").is_visible()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.get_by_role("link", name="Go to the dashboard").click()
    page.wait_for_url(f"{live_server.url}/")
