"""An outside review of issue 15's rules, as an attacker tries them: each test reproduces one
finding and fails until it is fixed (see SECURITY.md for the rules they hold the product to)."""

import csv
import io

import pytest
from django.urls import reverse

from core.models import SecurityMarking
from core.spreadsheets import FORMULA_STARTS
from tests.followup.factories import FollowUpActionFactory
from tests.world import mixed_world

pytestmark = pytest.mark.django_db

PA = SecurityMarking.PROTECTED_A
PB = SecurityMarking.PROTECTED_B


# -- a reference the reader may not follow is never shown by name or number -----------------


def test_a_project_form_names_no_hidden_originating_round_and_saves_untouched(client, make_user):
    world = mixed_world()
    project, hidden = world["followupproject"], world["hidden_round"]
    client.force_login(make_user("planner", "planner", clearance=PA))
    url = reverse("followup:project_edit", args=[project.pk])
    response = client.get(url)
    page = response.content.decode()
    assert str(hidden) not in page
    assert f"(#{hidden.pk})" not in page
    form = response.context["form"]
    data = {field.html_name: field.value() for field in form if field.value() not in (None, False)}
    data["originating_rounds"] = form["originating_rounds"].field.prepare_value(
        form.initial["originating_rounds"]
    )
    response = client.post(url, data)  # the page sent back as it was shown
    assert response.status_code == 302, response.context["form"].errors
    assert set(project.originating_rounds.all()) == {world["round"], hidden}


@pytest.mark.parametrize("view", ["change", "history"])
def test_the_admin_names_no_hidden_originating_round(client, make_user, view):
    world = mixed_world()
    project, hidden = world["followupproject"], world["hidden_round"]
    # The admin is for administrators: one cleared to Protected A edits the project's rounds.
    client.force_login(make_user("ada", "administrator", clearance=PA, is_staff=True))
    url = reverse(f"admin:followup_followupproject_{view}", args=[project.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert str(hidden) not in response.content.decode()


def test_admin_search_matches_no_hidden_name(client, make_user):
    """Searching a visible delegation by its hidden head's name would confirm the name."""
    mixed_world()
    client.force_login(make_user("ada", "administrator", clearance=PA, is_staff=True))
    response = client.get(reverse("admin:stakeholders_delegation_changelist"), {"q": "zebrafinch"})
    assert response.context["cl"].result_count == 0


def test_admin_search_matches_no_hidden_detainee_name(client, make_user):
    mixed_world()
    roles = ("case_officer", "administrator")
    client.force_login(make_user("cora", roles, clearance=PA, is_staff=True))
    url = reverse("admin:rounds_caseraising_changelist")
    response = client.get(url, {"q": "CANARY-HIDDENCASE"})
    assert response.context["cl"].result_count == 0


@pytest.mark.parametrize(
    ("endpoint", "hidden"),
    [
        ("agenda-items/?round={}", "hidden_round"),
        ("materials/?round={}", "hidden_round"),
        ("delegation-members/?person={}", "hidden_person"),
        ("benchmark-events/?benchmark={}", "hidden_benchmark"),
    ],
)
def test_an_api_filter_treats_a_hidden_key_as_unknown(client, make_user, endpoint, hidden):
    """Filtering by a hidden record's key must answer as for a key that does not exist:
    otherwise it confirms the record exists and which visible records point at it."""
    world = mixed_world()
    client.force_login(make_user("planner", "planner", clearance=PA))
    unknown = client.get("/api/v1/" + endpoint.format(999999))
    assert unknown.status_code == 400
    response = client.get("/api/v1/" + endpoint.format(world[hidden].pk))
    assert response.status_code == 400


@pytest.mark.parametrize("change", [{"project": None}, {"owner_person": None}])
def test_the_api_keeps_a_hidden_reference_as_the_forms_do(client, make_user, change):
    world = mixed_world()
    action = world["followupaction"]
    client.force_login(make_user("planner", "planner", clearance=PA))
    client.patch(
        f"/api/v1/actions/{action.pk}/",
        {**change, "version": action.version},
        content_type="application/json",
    )
    action.refresh_from_db()
    assert action.project_id == world["hidden_project"].pk
    assert action.owner_person_id == world["hidden_person"].pk


# -- no self-promotion, through any view --------------------------------------------------


def _account_form(account, **fields):
    data = {
        "username": account.username,
        "language": account.language,
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "is_active": "on",
        "is_staff": "on",
    }
    return {**data, **fields}


def test_an_administrator_cannot_restore_their_former_privileges_from_history(client, make_user):
    eve = make_user("eve", "administrator", is_staff=True, is_superuser=True, clearance=PB)
    privileged = eve.history.latest()
    eve.is_superuser, eve.clearance = False, PA  # a superuser takes them away
    eve.save()
    client.force_login(eve)
    url = reverse("admin:dialogue_user_simple_history", args=[eve.pk, privileged.history_id])
    client.post(url, _account_form(eve))
    eve.refresh_from_db()
    assert not eve.is_superuser
    assert eve.clearance == PA


def test_an_administrator_cannot_edit_a_superuser_through_its_history(client, make_user):
    alice = make_user("alice", "administrator", is_staff=True, is_superuser=True, clearance=PB)
    erin = make_user("erin", "administrator", is_staff=True, clearance=PA)
    client.force_login(erin)
    url = reverse("admin:dialogue_user_simple_history", args=[alice.pk, alice.history.latest().pk])
    client.post(url, _account_form(alice, email="erin@evil.example", clearance=PA, is_active=""))
    alice.refresh_from_db()
    assert alice.is_active
    assert alice.email != "erin@evil.example"
    assert alice.clearance == PB


# -- odd input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/followup/actions/new/", "round"),
        ("/followup/actions/new/", "owner_person"),
        ("/followup/projects/new/", "lead_agency"),
        ("/followup/projects/new/", "originating_rounds"),
    ],
)
def test_a_nul_in_a_lookup_field_is_refused_with_a_message(client, make_user, url, field):
    client.force_login(make_user("planner", "planner", clearance=PB))
    client.raise_request_exception = False
    response = client.post(url, {"title": "New", field: "a\x00b"})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        (
            "post",
            "/admin/followup/followupaction/",
            {"action": "delete_selected", "_selected_action": "a\x00b"},
        ),
        ("get", "/admin/followup/followupaction/{pk}/history/a%00b/", None),
    ],
)
def test_odd_keys_in_the_admin_answer_no_server_error(client, make_user, method, url, data):
    action = FollowUpActionFactory()
    client.force_login(make_user("root", "administrator", is_staff=True, is_superuser=True))
    client.raise_request_exception = False
    response = getattr(client, method)(url.format(pk=action.pk), data)
    assert response.status_code < 500


# -- formula injection -------------------------------------------------------------------------


def test_a_csv_cell_is_no_formula_where_the_list_separator_is_a_semicolon(client, make_user):
    """French-Canadian Excel opens a .csv with ";" as its separator: an unquoted cell holding
    ";=" then starts a formula in the next column."""
    FollowUpActionFactory(title="Budget;=cmd|' /C calc'!A0")
    client.force_login(make_user("planner", "planner", clearance=PB))
    body = client.get("/followup/actions/?format=csv").content.decode()
    for row in csv.reader(io.StringIO(body), delimiter=";"):
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), row
