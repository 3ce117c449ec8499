"""Browser tests: Playwright drives the system's Chromium against a live server."""

import pytest

from demo.reference import reference_data_load

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "a long test password 1"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def reference_data(transactional_db):
    reference_data_load()


@pytest.fixture
def sign_in(page, live_server, reference_data, make_user):
    """Sign in through the form as a new user with this role, cleared to Protected B."""

    def sign_in_as(role, username=None):
        username = username or role
        make_user(username, role, clearance="protected_b", email=f"{username}@example.gc.ca")
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return sign_in_as


@pytest.fixture
def signed_in(sign_in):
    """A page signed in as an analyst cleared to Protected B."""
    return sign_in("analyst")
