"""A dialogue officer records the delegations to round 10 of the Canada–China dialogue: round 9's
members confirmed with a tick, a new head chosen once among the members. axe-core finds nothing
on the page, with or without errors."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from core.lookups import label
from core.models import Side
from rounds.models import Round
from stakeholders.models import Delegation, DelegationMember
from tests.rounds.factories import RoundFactory
from tests.stakeholders.factories import PersonFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def assert_no_violation(page):
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_an_officer_confirms_last_rounds_members_and_chooses_the_head(sign_in, live_server):
    page = sign_in("officer")
    before = Round.objects.get(dialogue__slug="canada-china-jchr", number=9)
    round_ = RoundFactory(
        dialogue=before.dialogue, number=10, start_date=datetime.date(2027, 9, 14)
    )
    head = PersonFactory(full_name="Wu Hailong", position="Director General")
    page.goto(f"{live_server.url}/rounds/{round_.pk}/edit/")
    page.get_by_role("link", name="Delegations", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Delegations to")
    assert_no_violation(page)

    partner = page.locator("#partner")
    # Two heads ticked: refused, with the message beside each box and the entries kept.
    partner.get_by_label("Confirm Ministry of Foreign Affairs (MFA)").check()
    partner.get_by_label("Confirm Supreme People's Procuratorate (SPP)").check()
    partner.locator('[name="partner-members-0-person"]').fill(label(head))
    partner.locator('[name="partner-members-0-is_head"]').check()
    partner.locator('[name="partner-members-1-person"]').fill(label(PersonFactory()))
    partner.locator('[name="partner-members-1-is_head"]').check()
    partner.get_by_role("button", name="Save “China”").click()
    expect(page.get_by_role("alert").first).to_contain_text("was not saved")
    expect(page.locator("#partner .errorlist").first).to_contain_text(
        "Tick “Head of delegation” for one member only."
    )
    expect(page.locator('[name="partner-members-0-person"]')).to_have_value(label(head))
    assert_no_violation(page)

    page.locator('[name="partner-members-1-person"]').fill("")
    page.locator('[name="partner-members-1-is_head"]').uncheck()
    page.get_by_role("button", name="Save “China”").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved")
    delegation = Delegation.objects.get(round=round_, side=Side.PARTNER)
    assert delegation.head.full_name == "Wu Hailong"
    roles = {
        str(member.person or member.organization): member.role
        for member in delegation.members.all()
    }
    assert roles == {
        "Wu Hailong": DelegationMember.Role.HEAD,
        "Ministry of Foreign Affairs (MFA)": DelegationMember.Role.MEMBER,
        "Supreme People's Procuratorate (SPP)": DelegationMember.Role.MEMBER,
    }
    assert_no_violation(page)

    # A member recorded is opened on their own page to be corrected.
    page.get_by_role("link", name="Correct or remove “Wu Hailong”").click()
    expect(page.locator('[name="partner-members-0-is_head"]')).to_be_checked()
    assert_no_violation(page)
    page.locator('[name="partner-members-0-position_at_time"]').fill("Director General, MFA")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Saved")
    expect(page.locator("#partner .recorded-rows")).to_contain_text("Director General, MFA")
    delegation.refresh_from_db()
    assert delegation.head.full_name == "Wu Hailong"
    page.get_by_role("link", name="Record the rest of the round").click()

    # The round's page shows the delegation and how many came back from round 9.
    page.get_by_role("link", name="See the round's page").click()
    expect(page.get_by_text("2 of 3 members attended it")).to_be_visible()
    expect(page.get_by_role("link", name="Record the delegations")).to_be_visible()
