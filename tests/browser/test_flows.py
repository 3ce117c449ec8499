"""What an analyst clicks through, in a real browser."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_an_analyst_follows_a_topic_from_a_round_to_its_continuity(signed_in, live_server):
    page = signed_in

    # Filter rounds by year.
    page.get_by_role("link", name="Rounds", exact=True).first.click()
    page.get_by_label("From year").fill("2005")
    page.get_by_label("To year").fill("2005")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("status")).to_have_text("2 results")  # Canada's 9th, Germany's 7th
    expect(page).to_have_url(re.compile(r"year_from=2005"))

    # Open the round, then one of its topics.
    page.get_by_role("link", name="JCHR, round 9 (2005)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("JCHR, round 9 (2005)")
    page.get_by_role("link", name="Policing and police accountability").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Policing and police accountability")

    # The continuity of the Canada–China dialogue shows the topics that kept recurring.
    page.goto(f"{live_server.url}/topics/continuity/?dialogue=canada-china-jchr")
    for topic in ("Freedom of religion", "Human rights and counter-terrorism"):
        row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=topic))
        expect(row.get_by_text("Recurring")).to_be_visible()

    # Export the CSV and read it back.
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    with open(download.value.path(), encoding="utf-8") as exported:
        rows = list(csv.reader(io.StringIO(exported.read())))
    assert rows[0][:3] == ["Topic", "1997", "1998"]
    religion = next(row for row in rows if row[0] == "Freedom of religion")
    assert religion[1:5] == ["0", "1", "1", "1"]  # rounds 3, 4 and 5: 1998, 1999, 2000


def test_filters_refresh_the_results_in_place(signed_in, live_server):
    page = signed_in
    page.goto(f"{live_server.url}/stakeholders/organizations/")
    page.get_by_label("Name or acronym").fill("RCMP")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("status")).to_have_text("1 result")
    expect(page).to_have_url(re.compile(r"q=RCMP"))
    expect(page.get_by_role("link", name="Royal Canadian Mounted Police")).to_be_visible()


def test_sorting_refreshes_the_results_in_place_and_keeps_the_url(signed_in, live_server):
    page = signed_in
    page.goto(f"{live_server.url}/rounds/?dialogue=canada-china-jchr")
    page.get_by_role("link", name="Cities").click()
    expect(page).to_have_url(re.compile(r"sort=cities"))
    first_row = page.get_by_role("row").nth(1)
    expect(first_row).to_contain_text("Beijing")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rounds")


def test_filters_work_without_javascript(browser, live_server, reference_data, make_user):
    make_user("analyst", "analyst", clearance="protected_b")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/topics/")
    page.get_by_label("Name or alias").fill("religion")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"q=religion"))
    expect(page.get_by_role("link", name="Freedom of religion")).to_be_visible()
    context.close()
