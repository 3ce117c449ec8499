"""A dialogue officer records round 10 of the Canada–China dialogue in the product, from round 9,
without opening the admin: the agenda carried over and added to, what each side said, one
commitment a side, a material in English and in Chinese, the partner's delegation confirmed from
round 9, an NGO debriefing with a request and its answer. Then the round page, the dashboard, the
continuity matrix, the briefing pack of round 11 and the engagement page all show it; the
recording page reads in French; axe-core finds nothing on the new pages."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from core.lookups import label
from rounds.models import AgendaItem, Commitment, Material, Round
from stakeholders.models import Delegation, Organization
from tests.rounds.documents import PDF, TXT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def assert_no_violation(page):
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def saved(page):
    expect(page.get_by_role("status").first).to_contain_text("Saved")


def test_an_officer_records_round_10_from_round_9(sign_in, live_server, materials_store):
    page = sign_in("officer")
    page.goto(f"{live_server.url}/rounds/dialogues/canada-china-jchr/")
    page.get_by_role("link", name="Record a new round").click()
    expect(page.get_by_label("Number")).to_have_value("10")
    page.get_by_label("Status").select_option("held")
    page.get_by_label("Start date").fill("2026-09-14")
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
    page.locator('[name="agenda-0-title"]').fill("Use of force by police at demonstrations")
    page.locator('[name="agenda-0-order"]').fill("4")
    page.locator('[name="agenda-0-new_topic"]').fill("Use of force in policing")
    page.locator('[name="agenda-0-our_points"]').fill("Asked for the rules on firearms.")
    page.locator('[name="agenda-0-partner_answer"]').fill("Promised to send the regulation.")
    page.get_by_role("button", name="Save “Agenda, and what each side said”").click()
    saved(page)
    assert AgendaItem.objects.filter(round=round_).count() == 4
    # A carried item is opened on its own page to record what was said about it this time.
    page.get_by_role("link", name="Correct or remove “List of cases of concern”").click()
    assert_no_violation(page)
    page.locator('[name="agenda-0-our_points"]').fill("Asked after the cases on our list.")
    page.get_by_role("button", name="Save", exact=True).click()
    saved(page)
    assert page.url.endswith(f"/rounds/{round_.pk}/edit/#agenda")
    expect(page.locator("#agenda .recorded-rows")).to_contain_text(
        "What each side said is recorded."
    )
    assert AgendaItem.objects.get(
        round=round_, title="List of cases of concern"
    ).our_points.startswith("Asked after the cases")

    # A material, in English and in Chinese.
    page.locator('[name="materials-0-title"]').fill("Statement on police oversight")
    page.locator('[name="materials-0-provided_by"]').select_option("lead")
    page.locator('[name="materials-0-file_en"]').set_input_files(
        files=[{"name": "statement.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.locator('[name="materials-0-file_zh"]').set_input_files(
        files=[{"name": "statement-zh.txt", "mimeType": "text/plain", "buffer": TXT}]
    )
    page.get_by_role("button", name="Save “Materials and their files”").click()
    saved(page)
    material = Material.objects.get(round=round_)
    assert (material.in_english, material.in_chinese) == (True, True)

    # One commitment by each side; the first refused until it says what shows it met.
    new_item = AgendaItem.objects.get(round=round_, title__startswith="Use of force")
    rows = (
        ("partner", "Send the police firearms regulation", "met"),
        ("lead", "Host a study visit on police oversight", "open"),
    )
    for side, text, status in rows:
        prefix = "commitments-0"  # the section's form for a new row
        page.locator(f'[name="{prefix}-side"]').select_option(side)
        page.locator(f'[name="{prefix}-agenda_item"]').select_option(str(new_item.pk))
        page.locator(f'[name="{prefix}-text"]').fill(text)
        page.locator(f'[name="{prefix}-status"]').select_option(status)
        page.get_by_role("button", name="Save “Commitments”").click()
        if status == "met":
            expect(page.get_by_role("alert").first).to_contain_text("was not saved")
            expect(page.locator(f'[name="{prefix}-text"]')).to_have_value(text)
            assert_no_violation(page)
            page.locator(f'[name="{prefix}-evidence"]').fill("Received on 2026-11-02.")
            page.get_by_role("button", name="Save “Commitments”").click()
        saved(page)
    assert Commitment.objects.filter(round=round_).count() == 2

    # The partner's delegation: round 9's members confirmed, the head chosen once.
    page.get_by_role("link", name="Delegations", exact=True).click()
    assert_no_violation(page)
    partner = page.locator("#partner")
    partner.get_by_label("Confirm Ministry of Foreign Affairs (MFA)").check()
    partner.get_by_label("Confirm Supreme People's Procuratorate (SPP)").check()
    partner.get_by_role("button", name="Save “China”").click()
    saved(page)
    assert Delegation.objects.get(round=round_, side="partner").members.count() == 2
    page.goto(f"{live_server.url}/rounds/{round_.pk}/edit/")

    # The NGO debriefing, with a request and, later, its answer.
    rights = Organization.objects.get(name="Rights and Democracy")
    page.get_by_role("link", name="Record an NGO briefing or debriefing").click()
    page.get_by_label("Timing and kind").select_option(label="Post-dialogue debriefing")
    page.get_by_label("Date", exact=True).fill("2026-09-30")
    page.get_by_label("Organizations present").fill(label(rights))
    page.locator("#id_requests-0-text").fill("Tell us what was said on police violence")
    page.locator("#id_requests-0-answered").check()
    page.locator("#id_requests-0-answer").fill("Debriefed in writing.")
    page.locator("#id_requests-0-answered_on").fill("2026-10-15")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("recorded")

    # The round's page and the dashboard show it; the officer never opened /admin/.
    page.goto(f"{live_server.url}{round_.get_absolute_url()}")
    expect(page.get_by_text("Promised to send the regulation.")).to_be_visible()
    expect(page.get_by_text("Host a study visit on police oversight")).to_be_visible()
    expect(page.get_by_text("Tell us what was said on police violence")).to_be_visible()
    expect(page.get_by_text(re.compile(r"\d+ of \d+ members attended it"))).to_be_visible()
    page.goto(f"{live_server.url}/?dialogue=canada-china-jchr")
    expect(page.get_by_role("link", name="Host a study visit on police oversight")).to_be_visible()
    # The continuity matrix has the new topic in 2026.
    page.goto(f"{live_server.url}/topics/continuity/?dialogue=canada-china-jchr")
    topic = page.get_by_role("rowheader", name=re.compile("Use of force in policing"))
    expect(topic).to_be_visible()
    expect(page.get_by_role("columnheader", name=re.compile("2026"))).to_be_visible()
    # The engagement page counts the debriefing at once.
    page.goto(f"{live_server.url}/stakeholders/engagement/")
    expect(page.get_by_role("row", name=re.compile(r"round 10"))).to_contain_text("2026-09-30")

    # Round 11 starts from round 10: its briefing pack has the topic's history.
    page.goto(f"{live_server.url}/rounds/dialogues/canada-china-jchr/")
    page.get_by_role("link", name="Record a new round").click()
    expect(page.get_by_label("Number")).to_have_value("11")
    page.get_by_label("Start date").fill("2027-09-14")
    page.get_by_role("button", name="Save").click()
    page.locator("#agenda .carry-list").get_by_role(
        "button", name="Add “Use of force by police at demonstrations” to this agenda"
    ).click()
    round_11 = Round.objects.get(dialogue__slug="canada-china-jchr", number=11)
    page.goto(f"{live_server.url}/rounds/{round_11.pk}/briefing/")
    topics = page.locator("section").filter(
        has=page.get_by_role("heading", name="Agenda topics: history and open business")
    )
    expect(
        topics.get_by_role("heading", name=re.compile("Use of force in policing"))
    ).to_be_visible()
    expect(topics).to_contain_text("Raised at earlier rounds10 (2026)")

    # In French too.
    page.goto(f"{live_server.url}/fr/rounds/{round_.pk}/edit/")
    expect(page.get_by_role("heading", name="Engagements", exact=True)).to_be_visible()
    expect(page.locator("#commitments .recorded-rows")).to_contain_text(
        "Send the police firearms regulation"
    )
    assert_no_violation(page)


def test_an_officer_records_a_round_in_french(sign_in, live_server):
    page = sign_in("officer")
    page.goto(f"{live_server.url}/fr/rounds/dialogues/canada-china-jchr/")
    page.get_by_role("link", name="Consigner une nouvelle séance").click()
    page.locator('[name="start_date"]').fill("2026-09-14")
    assert_no_violation(page)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status").first).to_contain_text("Consignez maintenant")
    round_ = Round.objects.get(dialogue__slug="canada-china-jchr", number=10)
    assert page.url.endswith(f"/fr/rounds/{round_.pk}/edit/")
    page.locator("#agenda .carry-list").get_by_role(
        "button", name="Ajouter « List of cases of concern » à cet ordre du jour"
    ).click()
    expect(page.get_by_role("status").first).to_contain_text("figure à l’ordre du jour")
    page.get_by_role("link", name="Corriger ou retirer « List of cases of concern »").click()
    page.locator('[name="agenda-0-our_points"]').fill("Nous avons demandé des nouvelles.")
    page.locator('[name="agenda-0-partner_answer"]').fill("Réponse écrite promise.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Enregistré")
    assert_no_violation(page)
    page.goto(f"{live_server.url}/fr/rounds/{round_.pk}/")
    expect(page.get_by_text("Réponse — Chine")).to_be_visible()  # the partner by name
    expect(page.get_by_text("Réponse écrite promise.")).to_be_visible()
