"""The admin export page's "Select all" box works under the Content Security Policy."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_select_all_clears_and_ticks_every_field(page, live_server, make_user):
    make_user("root", is_staff=True, is_superuser=True)
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if message.type == "error" else None
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/admin/rounds/round/export/")
    boxes = page.locator('.selectable-field-export-row input[type="checkbox"]')
    assert boxes.count() > 2
    page.get_by_label("Select all").uncheck()
    for index in range(boxes.count()):
        expect(boxes.nth(index)).not_to_be_checked()
    page.get_by_label("Select all").check()
    for index in range(boxes.count()):
        expect(boxes.nth(index)).to_be_checked()
    assert not [text for text in refused if "Content Security Policy" in text]
