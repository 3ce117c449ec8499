"""Odd input is refused, never a server error: a NUL byte in any query parameter, numbers past
PostgreSQL's integers, long and non-Latin text, fed by Hypothesis to every filter of every page,
lookup and API list; the API answers its errors in JSON."""

import pytest
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.urls import router
from core import lookups
from followup.filtersets import (
    BenchmarkFilterSet,
    FollowUpActionFilterSet,
    FollowUpProjectFilterSet,
)
from rounds.filtersets import CaseFilterSet, RoundFilterSet, TopicFilterSet
from stakeholders.filtersets import ConsultationFilterSet, OrganizationFilterSet, PersonFilterSet
from tests.pages import case_page_urls, page_urls
from tests.world import build_world

pytestmark = pytest.mark.django_db

FILTERSETS = [
    CaseFilterSet,
    RoundFilterSet,
    TopicFilterSet,
    ConsultationFilterSet,
    OrganizationFilterSet,
    PersonFilterSet,
    BenchmarkFilterSet,
    FollowUpActionFilterSet,
    FollowUpProjectFilterSet,
]
# Every filter of every list, and the parameters the reports and pages read themselves.
PARAMS = sorted(
    {name for filterset in FILTERSETS for name in filterset.base_filters}
    | {"q", "page", "sort", "format", "dialogue", "round", "topic", "project", "next", "ordering"}
)

BIG = 2**63
ODD = st.one_of(
    st.text(max_size=12).map(lambda text: f"{text}\x00{text}"),
    st.integers(min_value=BIG, max_value=BIG**2).map(str),
    st.integers(min_value=-(BIG**2), max_value=-BIG - 1).map(str),
    st.integers(min_value=-(10**7), max_value=10**7).map(str),
    st.text(st.characters(exclude_categories=["Cs"]), min_size=300, max_size=3000),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=20),
    st.sampled_from(["北京 人权", "حقوق الإنسان", "Ωμέγα", "🙂" * 30, "²", "١٢", "1e400", "NaN"]),
)
QUERIES = st.dictionaries(st.sampled_from(PARAMS), ODD, min_size=1, max_size=4)


def endpoints() -> dict[str, list[str]]:
    world = build_world()
    pages = [*page_urls(world).values(), *case_page_urls(world).values()]
    api = [f"/api/v1/{prefix}/" for prefix, *_ in router.registry]
    return {
        "rounds": [url for url in pages if "/rounds/" in url or "/cases/" in url],
        "topics": [url for url in pages if "/topics/" in url],
        "stakeholders": [url for url in pages if "/stakeholders/" in url],
        "followup": [url for url in pages if "/followup/" in url],
        "site": [reverse("dashboard"), reverse("search")],
        "lookups": [reverse("lookup", args=[kind]) for kind in lookups.kinds()],
        "api": api,
    }


GROUPS = ["rounds", "topics", "stakeholders", "followup", "site", "lookups", "api"]


@pytest.mark.parametrize("group", GROUPS)
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_odd_query_parameters_never_make_a_server_error(admin_client, group, data):
    urls = _endpoints_once()[group]
    url = data.draw(st.sampled_from(urls), label="url")
    query = data.draw(QUERIES, label="query")
    with override_settings(DEBUG_PROPAGATE_EXCEPTIONS=False):
        response = admin_client.get(url, query)
    assert response.status_code < 500, (url, query)
    if url.startswith("/api/") and response.status_code >= 400:
        assert response["Content-Type"].startswith("application/json"), (url, query)


_cache: dict = {}


def _endpoints_once() -> dict:
    """The world is built in the first example's transaction, which every example shares."""
    if "urls" not in _cache:
        _cache["urls"] = endpoints()
    return _cache["urls"]


@pytest.fixture(autouse=True)
def fresh_endpoints():
    _cache.clear()
    yield
    _cache.clear()


@pytest.mark.parametrize(
    "url",
    ["/search/?q=a%00b", "/lookup/person/?q=a%00b", "/rounds/?cities=a%00b", "/cases/?q=%00"],
)
def test_a_nul_byte_is_refused_with_a_message_naming_the_parameter(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 400
    name = url.split("?")[1].split("=")[0]
    assert f"“{name}”" in response.text


def test_the_api_refuses_a_nul_byte_in_json(admin_client):
    response = admin_client.get("/api/v1/rounds/?cities=a%00b")
    assert response.status_code == 400
    assert "cities" in response.json()["detail"]


@pytest.mark.parametrize("q", ["999999", str(2**63), "2024 99999999999999999999"])
def test_a_round_lookup_by_an_impossible_number_or_year_finds_nothing(admin_client, q):
    response = admin_client.get("/lookup/round/", {"q": q})
    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_an_unexpected_api_error_is_answered_in_json(admin_client, monkeypatch):
    from core.api import ScopedViewSet

    def fail(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(ScopedViewSet, "list", fail)
    with override_settings(DEBUG_PROPAGATE_EXCEPTIONS=False):
        admin_client.raise_request_exception = False
        response = admin_client.get("/api/v1/rounds/")
    assert response.status_code == 500
    assert response.json() == {"detail": "A server error occurred."}
    assert "boom" not in response.text
