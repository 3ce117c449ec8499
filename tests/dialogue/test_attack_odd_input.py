"""An outsider types odd things into the pages issues 18 and 19 changed: never a server error,
and a tampered confirmation changes nothing it should not."""

import pytest
from django.test import override_settings
from django.urls import reverse

from rounds.models import CaseOfConcern, CaseRaising
from tests.rounds.factories import CaseRaisingFactory, RoundFactory
from tests.world import build_world

pytestmark = pytest.mark.django_db

ODD = [
    "format=docx&x",
    "format=docx&format=csv",
    "format=DOCX",
    "format=csv&year_from=2100&year_to=1900",
    "page=abc",
    "page=-1",
    "page=99999999999999999999999",
    "rounds_page=abc&topics_page=0",
    "dialogue=nonsense",
    "dialogue=",
    "dialogue=%20&dialogue=nonsense",
    "year_from=2020&year_to=1990",
    "year_from=99999999999999999999&year_to=-99999999999999999999",
    "year_from=1e400",
    "year_from=1900&year_to=2100",
    "year_from=1900&year_to=2100&format=csv",
    "partner=ZZ",
    "partner=",
    "partner=%F0%9F%99%82",
    "min_count=0&sort=zzz&category=nope",
    "min_count=99999999999999999999",
    "q=%EF%BF%BF&status=%0B",
]


def urls(world) -> list[str]:
    round_ = world["round"]
    return [
        f"/rounds/{round_.pk}/briefing/",
        f"/rounds/{round_.pk}/briefing/next/",
        reverse("reports:topic_continuity"),
        reverse("reports:topic_overlap"),
        reverse("reports:coverage"),
        reverse("followup:board"),
        reverse("reports:case_answers"),
        reverse("rounds:case_mark_released", args=[world["caseofconcern"].pk]),
        reverse("recent_changes"),
        reverse("record_history", args=["rounds", "round", round_.pk]),
        reverse(
            "record_history", args=["followup", "followupproject", world["followupproject"].pk]
        ),
    ]


def test_odd_queries_on_the_changed_pages_never_make_a_server_error(client, make_user):
    world = build_world()
    client.force_login(
        make_user(
            "root",
            ("case_officer", "administrator", "officer", "planner", "analyst"),
            clearance="protected_b",
            is_staff=True,
        )
    )
    failed = []
    with override_settings(DEBUG_PROPAGATE_EXCEPTIONS=False):
        for url in urls(world):
            for query in ODD:
                response = client.get(f"{url}?{query}")
                if response.status_code >= 500:
                    failed.append((url, query, response.status_code))
    assert not failed


def test_a_nul_byte_in_the_pack_is_a_400_and_in_the_confirmation_is_named(client, make_user):
    world = build_world()
    client.force_login(make_user("cora", "case_officer", clearance="protected_b"))
    round_ = world["round"]
    assert client.get(f"/rounds/{round_.pk}/briefing/?format=docx%00").status_code == 400
    url = reverse("rounds:case_mark_released", args=[world["caseofconcern"].pk])
    response = client.post(url, {"expected_version": "1\x00"})
    assert response.status_code == 200  # the confirmation shown again, saying what is wrong
    assert "null characters are not allowed" in response.text


@pytest.fixture
def reported(make_user):
    round_ = RoundFactory(status="held")
    raising = CaseRaisingFactory(
        round=round_,
        case__name="Wang Dan",
        response=CaseRaising.Response.RELEASE_REPORTED,
        response_date=round_.start_date,
    )
    return raising.case


@pytest.mark.parametrize(
    "posted",
    [
        {},
        {"expected_version": ""},
        {"expected_version": "abc"},
        {"expected_version": "99999999999999999999999999"},
        {"expected_version": "-1"},
        {"expected_version": "1.5"},
    ],
)
def test_a_tampered_confirmation_records_nothing_and_never_fails(
    client, make_user, reported, posted
):
    client.force_login(make_user("cora", "case_officer", clearance="protected_b"))
    with override_settings(DEBUG_PROPAGATE_EXCEPTIONS=False):
        response = client.post(f"/cases/{reported.pk}/released/", posted)
    assert response.status_code < 500
    reported.refresh_from_db()
    assert reported.status == CaseOfConcern.Status.DETAINED


def test_the_confirmation_page_is_only_confirmed_by_post(client, make_user, reported):
    client.force_login(make_user("cora", "case_officer", clearance="protected_b"))
    client.get(f"/cases/{reported.pk}/released/?expected_version={reported.version}")
    reported.refresh_from_db()
    assert reported.status == CaseOfConcern.Status.DETAINED


@pytest.mark.parametrize("role", ["analyst", "planner", "officer", None])
def test_no_one_but_a_case_officer_opens_the_confirmation(client, make_user, reported, role):
    client.force_login(make_user("reader", role, clearance="protected_b"))
    for response in (
        client.get(f"/cases/{reported.pk}/released/"),
        client.post(f"/cases/{reported.pk}/released/", {"expected_version": reported.version}),
    ):
        assert response.status_code in (403, 404)
        assert "Wang Dan" not in response.content.decode()
    reported.refresh_from_db()
    assert reported.status == CaseOfConcern.Status.DETAINED
