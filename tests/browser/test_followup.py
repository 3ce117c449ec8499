"""A planner turns a round into follow-up, and the reports move with it; cases stay hidden from
everyone but Case officers."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from core.lookups import label
from reports import coverage as selectors
from rounds.models import CaseRaising, Round
from tests.rounds.factories import CaseOfConcernFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def overdue_titles(page, live_server) -> str:
    page.goto(f"{live_server.url}/followup/actions/overdue/")
    return page.locator("#results").inner_text()


def test_a_planner_creates_a_project_from_a_round_and_follows_it_up(sign_in, live_server):
    page = sign_in("planner")
    planner = get_user_model().objects.get(username="planner")
    round_ = Round.objects.get(dialogue__slug="canada-china-jchr", number=9)
    jchr = Round.objects.filter(dialogue__slug="canada-china-jchr")  # the page's default
    topic = selectors.coverage(rounds=jchr, user=planner).never_followed_up[0].topic

    page.goto(f"{live_server.url}/followup/coverage/")
    uncovered = page.get_by_role("table").filter(has_text="Start a project on")
    expect(uncovered.get_by_role("rowheader", name=topic.name)).to_be_visible()
    before = overdue_titles(page, live_server)
    assert "Send the legal texts in Chinese" not in before

    # From the round's page, start a project: the round is already chosen.
    page.goto(f"{live_server.url}{round_.get_absolute_url()}")
    page.get_by_role("link", name="Start a project from this round").click()
    expect(page.get_by_label("Originating rounds")).to_have_value(label(round_))
    page.get_by_label("Title", exact=True).fill("Legal aid exchange")
    page.get_by_label("Topics").select_option(label=topic.name)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_have_text("Project “Legal aid exchange” created.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Legal aid exchange")

    # Two actions, both due long ago.
    for title, due in (
        ("Send the legal texts in Chinese", "2006-01-15"),
        ("Invite the lawyers' association", "2006-02-15"),
    ):
        page.get_by_role("link", name="Add action").click()
        page.get_by_label("Title", exact=True).fill(title)
        # The round box suggests matches as one types; pick the suggestion.
        box = page.get_by_label("Arising from round")
        box.fill("JCHR 9")
        suggestion = page.locator("#id_round-suggestions option")
        expect(suggestion).to_have_count(1)
        expect(suggestion).to_have_attribute("value", label(round_))
        box.fill(suggestion.get_attribute("value"))
        page.get_by_label("Due date").fill(due)
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status").first).to_have_text(f"Action “{title}” added.")
    expect(page.get_by_role("cell", name="Invite the lawyers' association")).to_be_visible()

    late = overdue_titles(page, live_server)
    assert "Send the legal texts in Chinese" in late
    assert "Invite the lawyers' association" in late

    # Mark one done.
    page.goto(f"{live_server.url}/followup/actions/overdue/")
    page.get_by_role("link", name="Send the legal texts in Chinese").click()
    page.get_by_role("link", name="Edit action").click()  # from the action's own page
    page.get_by_label("Status").select_option(label="Done")
    page.get_by_label("Completed on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_have_text(
        "Action “Send the legal texts in Chinese” saved."
    )

    late = overdue_titles(page, live_server)
    assert "Send the legal texts in Chinese" not in late
    assert "Invite the lawyers' association" in late

    # The topic is now covered.
    page.goto(f"{live_server.url}/followup/coverage/")
    uncovered = page.get_by_role("table").filter(has_text="Start a project on")
    expect(uncovered.get_by_role("rowheader", name=topic.name)).to_have_count(0)
    page.goto(f"{live_server.url}/followup/board/")
    expect(page.get_by_role("link", name="Legal aid exchange")).to_be_visible()


def test_only_case_officers_see_any_trace_of_cases(sign_in, live_server):
    round_ = Round.objects.get(dialogue__slug="canada-china-jchr", number=9)
    case = CaseOfConcernFactory(name="Zhang Canary", name_zh="张金丝雀")
    CaseRaising.objects.create(
        case=case,
        round=round_,
        response="information",
        response_date=round_.start_date + datetime.timedelta(days=40),
    )
    page = sign_in("analyst")
    expect(page.locator("gcds-nav-link", has_text="Follow-up")).to_have_count(1)
    expect(page.locator("gcds-nav-link", has_text="Cases")).to_have_count(0)
    expect(page.get_by_text("Answers on cases of concern")).to_have_count(0)
    for path in ("/cases/", f"/cases/{case.pk}/", "/cases/answers/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 403, path
    page.goto(f"{live_server.url}/search/?q=Canary")
    expect(page.get_by_text("Zhang Canary")).to_have_count(0)
    page.goto(f"{live_server.url}/rounds/{round_.pk}/briefing/")
    expect(page.get_by_text("Zhang Canary")).to_have_count(0)
    with page.expect_download() as download:
        page.goto(f"{live_server.url}/rounds/")
        page.get_by_role("link", name="Export CSV").click()
    assert "Canary" not in download.value.path().read_text(encoding="utf-8")

    page = sign_in("case_officer")
    page.locator("gcds-nav-link", has_text="Cases").click()
    expect(page).to_have_url(re.compile(r"/cases/$"))
    page.get_by_role("link", name="Zhang Canary").click()
    expect(page.get_by_role("cell", name="Information provided")).to_be_visible()
