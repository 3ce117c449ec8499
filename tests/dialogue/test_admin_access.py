"""The admin is for Administrators: the other roles work in the product's pages and are refused
there, whatever their staff flag says; staff status follows the Administrators role. The round's
page in the admin stays readable (folded sections) and fast (a fixed number of queries)."""

import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AccessLogEntry
from rounds.models import Round, Topic
from tests.dialogue.test_accounts import change
from tests.helpers import as_posted
from tests.rounds.factories import (
    AgendaItemFactory,
    CaseOfConcernFactory,
    CommitmentFactory,
    MaterialFactory,
    RoundFactory,
    SiteVisitFactory,
    TopicFactory,
)
from tests.stakeholders.factories import DelegationFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db

# The roles the product's pages cover; Case officers and planners keep the admin for the records
# that have no product page yet (core.models.STILL_IN_THE_ADMIN).
OTHER_ROLES = ["officer", "analyst", None]
REFUSAL = "The admin is for administrators"


def role(name):
    return Group.objects.get(name=name)


class TestWhoEnters:
    @pytest.mark.parametrize("role_name", OTHER_ROLES)
    @pytest.mark.parametrize(
        "path", ["/admin/", "/admin/rounds/round/", "/admin/rounds/round/add/", "/fr/admin/"]
    )
    def test_another_role_flagged_staff_is_told_the_admin_is_not_theirs(
        self, client, make_user, role_name, path
    ):
        user = make_user("flagged", role_name, is_staff=True, clearance="protected_b")
        client.force_login(user)
        response = client.get(path)
        assert response.status_code == 403
        if not path.startswith("/fr/"):
            assert REFUSAL in response.text
            assert f'href="{reverse("dashboard")}"' in response.text  # the way back
        assert "Change round" not in response.text

    def test_the_refusal_is_in_french_under_fr(self, client, make_user):
        client.force_login(make_user("flagged", "officer", is_staff=True))
        response = client.get("/fr/admin/")
        assert response.status_code == 403
        assert 'href="/fr/"' in response.text

    def test_another_role_cannot_write_through_the_admin(self, client, make_user):
        client.force_login(make_user("flagged", "officer", is_staff=True))
        response = client.post(
            reverse("admin:rounds_topic_add"), {"name": "Torture", "slug": "torture"}
        )
        assert response.status_code == 403
        assert not Topic.objects.filter(slug="torture").exists()

    def test_another_role_gets_no_autocomplete(self, client, make_user):
        RoundFactory()
        client.force_login(make_user("flagged", "officer", is_staff=True))
        response = client.get(
            reverse("admin:autocomplete"),
            {"app_label": "rounds", "model_name": "agendaitem", "field_name": "round"},
        )
        assert response.status_code == 403
        assert "results" not in response.text

    def test_another_role_is_refused_at_the_admin_sign_in_page_too(self, client, make_user):
        client.force_login(make_user("flagged", "analyst", is_staff=True))
        response = client.get(reverse("admin:login"))
        assert response.status_code == 403
        assert REFUSAL in response.text

    def test_an_administrator_without_the_staff_flag_enters(self, client, make_user):
        client.force_login(make_user("ada", "administrator", is_staff=False))
        response = client.get("/admin/rounds/round/")
        assert response.status_code == 200
        assert "Select round to change" in response.text

    def test_a_superuser_without_the_role_enters(self, client, make_user):
        client.force_login(make_user("root", is_superuser=True))
        assert client.get("/admin/").status_code == 200

    def test_a_stranger_is_sent_to_the_product_s_sign_in(self, client):
        response = client.get("/admin/rounds/round/", follow=True)
        assert response.redirect_chain[-1][0] == "/accounts/login/?next=/admin/rounds/round/"
        assert response.status_code == 200

    def test_signing_in_from_there_leads_an_administrator_into_the_admin(self, client, make_user):
        make_user("ada", "administrator")
        response = client.post(
            "/accounts/login/?next=/admin/",
            {"username": "ada", "password": "a long test password 1", "next": "/admin/"},
        )
        assert response.status_code == 302 and response.url == "/admin/"
        assert client.get("/admin/").status_code == 200


class TestRolesStillInTheAdmin:
    """Case officers and planners keep the admin for their records until the product has pages
    for them; the rest they may only read there, as in the product."""

    @pytest.mark.parametrize(
        ("role_name", "theirs", "not_theirs"),
        [
            ("case_officer", "/admin/rounds/caseofconcern/", "/admin/rounds/round/add/"),
            ("planner", "/admin/followup/benchmark/", "/admin/rounds/round/add/"),
        ],
    )
    def test_they_enter_to_edit_their_records_and_only_read_the_rest(
        self, client, make_user, role_name, theirs, not_theirs
    ):
        client.force_login(make_user("keeper", role_name, clearance="protected_b"))
        index = client.get("/admin/")
        assert index.status_code == 200
        assert theirs in index.text
        assert client.get(theirs).status_code == 200
        assert client.get(not_theirs).status_code == 403

    def test_a_case_officer_is_sent_to_the_admin_to_edit_a_case(self, client, make_user):
        case = CaseOfConcernFactory()
        edit = reverse("admin:rounds_caseofconcern_change", args=[case.pk])
        client.force_login(make_user("cora", "case_officer", clearance="protected_b"))
        assert edit in client.get(case.get_absolute_url()).text


class TestLinksToTheAdmin:
    def test_only_those_who_enter_are_offered_the_admin(self, client, make_user):
        client.force_login(make_user("olive", "officer", is_staff=True))
        assert reverse("admin:index") not in client.get("/").text
        client.force_login(make_user("ada", "administrator"))
        assert f'href="{reverse("admin:index")}"' in client.get("/").text


class TestStaffFollowsTheRole:
    def test_giving_the_administrators_role_makes_staff(self, admin_client, make_user):
        reader = make_user("reader", "analyst")
        response = change(admin_client, reader, groups=[role("Administrators").pk])
        assert response.status_code == 302, response.text[:2000]
        reader.refresh_from_db()
        assert reader.is_staff
        assert "is_staff False → True" in reader.history.latest().history_change_reason
        assert "is_staff False → True" in AccessLogEntry.objects.get().object_repr

    def test_taking_the_administrators_role_away_removes_staff(self, admin_client, make_user):
        ada = make_user("ada", "administrator", is_staff=True)
        response = change(admin_client, ada, groups=[role("Analysts").pk])
        assert response.status_code == 302, response.text[:2000]
        ada.refresh_from_db()
        assert not ada.is_staff

    @pytest.mark.parametrize("role_name", ["Dialogue officers", "Analysts"])
    def test_another_role_is_not_staff_even_if_ticked(self, admin_client, make_user, role_name):
        account = make_user("someone")
        response = change(admin_client, account, groups=[role(role_name).pk], is_staff="on")
        assert response.status_code == 302, response.text[:2000]
        account.refresh_from_db()
        assert not account.is_staff
        assert set(account.groups.values_list("name", flat=True)) == {role_name}

    def test_an_administrator_may_make_another_administrator(self, client, make_user):
        erin = make_user("erin", "administrator", clearance="protected_a")
        client.force_login(erin)
        reader = make_user("reader", "analyst")
        response = change(client, reader, groups=[role("Administrators").pk])
        assert response.status_code == 302, response.text[:2000]
        reader.refresh_from_db()
        assert reader.is_staff and reader.is_administrator

    def test_an_administrator_still_cannot_change_their_own_roles_or_staff(self, client, make_user):
        erin = make_user("erin", "administrator", clearance="protected_a", is_staff=True)
        client.force_login(erin)
        change(client, erin, groups=[role("Analysts").pk])
        erin.refresh_from_db()
        assert erin.is_staff
        assert set(erin.groups.values_list("name", flat=True)) == {"Administrators"}

    def test_a_new_account_is_not_staff(self, admin_client):
        response = admin_client.post(
            reverse("admin:dialogue_user_add"),
            {
                "username": "newcomer",
                "password1": "a long test password 1",
                "password2": "a long test password 1",
                "usable_password": "true",
            },
        )
        assert response.status_code == 302, response.text[:2000]
        assert not apps.get_model("dialogue", "User").objects.get(username="newcomer").is_staff

    def test_the_migration_puts_existing_accounts_in_step(self, make_user):
        officer = make_user("olive", "officer", is_staff=True)
        ada = make_user("ada", "administrator", is_staff=False)
        cora = make_user("cora", "case_officer", is_staff=False)
        root = make_user("root", is_superuser=True, is_staff=False)
        migration = importlib.import_module("core.migrations.0013_staff_follows_role")
        migration.staff_follows_role(apps, SimpleNamespace(connection=connection))
        for user in (officer, ada, cora, root):
            user.refresh_from_db()
        assert [u.is_staff for u in (officer, ada, cora, root)] == [False, True, True, True]


# -- the round's page --------------------------------------------------------------------------


def heavy_round(rows: int) -> Round:
    """A round with `rows` rows in each of its sections, among as many other records."""
    topics = TopicFactory.create_batch(rows)
    organizations = OrganizationFactory.create_batch(rows)
    round_ = RoundFactory()
    for index in range(rows):
        AgendaItemFactory(round=round_, order=index, topics=topics[: index + 1])
        CommitmentFactory(round=round_)
        SiteVisitFactory(round=round_)
        MaterialFactory(round=round_)
        PersonFactory(organization=organizations[index])
    DelegationFactory(round=round_, side="lead", head=PersonFactory())
    DelegationFactory(round=round_, side="partner", head=PersonFactory())
    return round_


def change_page_queries(client, round_) -> int:
    url = reverse("admin:rounds_round_change", args=[round_.pk])
    client.get(url)  # warm per-process caches before counting
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


class TestTheRoundPage:
    def test_it_answers_in_the_same_number_of_queries_for_2_rows_as_for_12(self, admin_client):
        small = change_page_queries(admin_client, heavy_round(2))
        large = change_page_queries(admin_client, heavy_round(12))
        assert small == large, f"2 rows a section: {small} queries; 12 rows: {large}"

    def test_its_sections_are_folded(self, admin_client):
        round_ = heavy_round(2)
        page = admin_client.get(reverse("admin:rounds_round_change", args=[round_.pk])).text
        for prefix in ("agenda_items", "commitments", "site_visits", "delegations", "materials"):
            group = page[page.index(f'id="{prefix}-group"') :]
            heading = group[: group.index(f'id="{prefix}-heading"')]
            assert "<details>" in heading, f"the {prefix} section is not folded"
        assert re.search(r"<details><summary>\s*<h2[^>]*>Conduct</h2>", page)

    def test_its_rows_link_to_their_own_pages(self, admin_client):
        round_ = heavy_round(1)
        page = admin_client.get(reverse("admin:rounds_round_change", args=[round_.pk])).text
        item = round_.agenda_items.get()
        assert reverse("admin:rounds_agendaitem_change", args=[item.pk]) in page

    def test_it_saves_as_it_was_shown(self, admin_client):
        round_ = heavy_round(3)
        url = reverse("admin:rounds_round_change", args=[round_.pk])
        form = as_posted(admin_client.get(url))
        form["agenda_items-0-title"] = "Legal aid, retitled"
        response = admin_client.post(url, form)
        assert response.status_code == 302, response.text[:3000]
        assert round_.agenda_items.filter(title="Legal aid, retitled").exists()
        assert round_.agenda_items.count() == 3
        assert round_.commitments.count() == round_.materials.count() == 3
        # The agenda items kept their topics though the page no longer shows them.
        assert all(item.topics.exists() for item in round_.agenda_items.all())
