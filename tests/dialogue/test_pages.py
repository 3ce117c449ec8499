"""Every browsing page: sign-in required, a role required, and a query count that stays the same
when the data grows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.pages import CASE_PAGES, PAGES, case_page_urls, page_urls
from tests.rounds.factories import CaseRaisingFactory
from tests.world import build_world

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    client.get(url)  # warm per-process caches before counting
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(queries)


@pytest.mark.parametrize("page", PAGES)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, page):
    url = page_urls(build_world())[page]
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


@pytest.mark.parametrize("page", [p for p in PAGES if p != "dashboard"])
def test_a_user_without_a_role_is_refused(client, outsider, page):
    client.force_login(outsider)
    url = page_urls(build_world())[page]
    response = client.get(url)
    if page == "search":
        # Search answers, but with no group the user's role cannot read.
        assert response.status_code == 200
        assert "Nothing matches" in response.text
    else:
        assert response.status_code == 403


def test_the_dashboard_tells_a_user_without_a_role_to_ask_for_one(client, outsider):
    client.force_login(outsider)
    response = client.get("/")
    assert "Your account has no role yet" in response.text


@pytest.mark.parametrize("page", PAGES)
def test_the_query_count_does_not_grow_with_the_data(analyst_client, page):
    world = build_world()
    url = page_urls(world)[page]
    small = count_queries(analyst_client, url)
    for _ in range(3):
        build_world()
    large = count_queries(analyst_client, url)
    assert small == large, f"{url}: {small} queries with one world, {large} with four"


@pytest.mark.parametrize(
    "url", ["/rounds/999999/", "/topics/no-such-topic/", "/stakeholders/organizations/999999/"]
)
def test_an_unknown_record_is_a_404(analyst_client, url):
    assert analyst_client.get(url).status_code == 404


def test_signing_out_needs_a_post(analyst_client):
    assert analyst_client.get("/accounts/logout/").status_code == 405
    assert analyst_client.post("/accounts/logout/").status_code == 302
    assert analyst_client.get("/").status_code == 302


def test_the_sign_in_page_is_styled_and_signs_in(client, make_user):
    make_user("dana", "analyst")
    page = client.get("/accounts/login/")
    assert "vendor/gcds/gcds.css" in page.text
    response = client.post(
        "/accounts/login/", {"username": "dana", "password": "a long test password 1"}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("page", ["record_history", "recent_changes", "access_log"])
def test_the_audit_pages_keep_a_fixed_query_count(admin_client, page):
    def url(world):
        round_ = world["round"]
        return {
            "record_history": f"/history/rounds/round/{round_.pk}/",
            "recent_changes": "/history/recent/",
            "access_log": "/audit/access/",
        }[page]

    world = build_world()
    world["round"].cities = "Changed once"
    world["round"].save()
    target = url(world)
    small = count_queries(admin_client, target)
    for _ in range(3):
        more = build_world()
        more["round"].security_marking = "protected_b"
        more["round"].save()
        admin_client.get(more["round"].get_absolute_url())  # adds access-log rows
    large = count_queries(admin_client, target)
    assert small == large, f"{target}: {small} queries, then {large}"


@pytest.mark.parametrize("page", CASE_PAGES)
def test_the_case_pages_keep_a_fixed_query_count(client, make_user, page):
    client.force_login(make_user("cora", "case_officer", clearance="protected_b"))
    world = build_world()
    url = case_page_urls(world)[page]
    small = count_queries(client, url)
    for _ in range(3):
        more = build_world()
        CaseRaisingFactory(case=world["caseofconcern"], round=more["round"])
    large = count_queries(client, url)
    assert small == large, f"{url}: {small} queries with one world, {large} with four"


FORM_PAGES = {
    "project_create": lambda world: f"/followup/projects/new/?round={world['round'].pk}",
    "project_edit": lambda world: f"/followup/projects/{world['followupproject'].pk}/edit/",
    "action_create": lambda world: f"/followup/actions/new/?round={world['round'].pk}",
    "action_edit": lambda world: f"/followup/actions/{world['followupaction'].pk}/edit/",
}


@pytest.mark.parametrize("page", FORM_PAGES)
def test_the_planning_forms_keep_a_fixed_query_count(client, make_user, page):
    client.force_login(make_user("pat", "planner", clearance="protected_b"))
    world = build_world()
    url = FORM_PAGES[page](world)
    small = count_queries(client, url)
    for _ in range(3):
        build_world()
    large = count_queries(client, url)
    assert small == large, f"{url}: {small} queries with one world, {large} with four"


@pytest.mark.parametrize(
    "url",
    [
        "/stakeholders/consultations/?year_to=0",
        "/rounds/?year_from=0&year_to=99999",
        "/followup/projects/?year=0",
        "/followup/board/?year=-5",
        "/api/v1/consultations/?year_to=0",
    ],
)
def test_an_impossible_year_is_a_message_not_an_error(analyst_client, url):
    """Found by the API fuzzer: year 0 reached the date arithmetic and answered 500."""
    build_world()
    response = analyst_client.get(url)
    assert response.status_code in (200, 400)
    body = response.content.decode()
    assert "greater than or equal to 1" in body or "less than or equal to 9999" in body
