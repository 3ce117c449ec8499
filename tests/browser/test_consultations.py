"""A Dialogue officer debriefs the NGOs after a round, records what they asked for and, later,
the answer; the engagement page follows at once. axe-core finds nothing on the new pages."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from core.lookups import label
from rounds.models import Round
from stakeholders.models import Consultation, Organization

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def assert_no_violation(page):
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def consulted_once(page, live_server) -> str:
    page.goto(f"{live_server.url}/stakeholders/engagement/")
    section = page.get_by_role("table").filter(has_text="Their only consultation")
    return section.inner_text()


def test_an_officer_debriefs_the_ngos_and_records_the_answer_later(sign_in, live_server):
    page = sign_in("officer")
    round_ = Round.objects.get(dialogue__slug="canada-china-jchr", number=9)
    rights = Organization.objects.get(name="Rights and Democracy")
    today = timezone.localdate().isoformat()
    assert "Rights and Democracy" in consulted_once(page, live_server)

    page.goto(f"{live_server.url}{round_.get_absolute_url()}")
    page.get_by_role("link", name="Record a consultation").click()
    expect(page.get_by_label("Round")).to_have_value(label(round_))
    assert_no_violation(page)

    # Nothing typed but the kind: refused, with the messages beside the fields.
    page.get_by_label("Timing and kind").select_option(label="Post-dialogue debriefing")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("The record was not saved")
    assert_no_violation(page)

    page.get_by_label("Date", exact=True).fill(today)
    box = page.get_by_label("Organizations present")
    box.fill("Rights and")
    suggestion = page.locator("#id_organizations-suggestions option")
    expect(suggestion).to_have_count(1)
    expect(suggestion).to_have_attribute("value", label(rights))
    box.fill(suggestion.get_attribute("value"))
    page.locator("#id_requests-0-text").fill("Tell us what the partner answered on the cases")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_have_text(
        f"Consultation “Post-dialogue debriefing, {today}” recorded."
    )
    expect(page.get_by_text("Tell us what the partner answered on the cases — no answer yet"))
    assert "Rights and Democracy" not in consulted_once(page, live_server)
    expect(page.get_by_text(re.compile(r"0 of 5 requests answered\."))).to_be_visible()

    # Later, the answer.
    consultation = Consultation.objects.get(kind="debriefing", round=round_)
    page.goto(f"{live_server.url}{round_.get_absolute_url()}")
    page.get_by_role("link", name=f"Edit {consultation}").click()
    assert_no_violation(page)
    page.locator("#id_requests-0-answered").check()
    page.locator("#id_requests-0-answer").fill("The list was answered in writing.")
    page.locator("#id_requests-0-answered_on").fill(today)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_have_text(f"Consultation “{consultation}” saved.")
    page.goto(f"{live_server.url}/stakeholders/engagement/")
    expect(page.get_by_text(re.compile(r"1 of 5 requests answered\."))).to_be_visible()
