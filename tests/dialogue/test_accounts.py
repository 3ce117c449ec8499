"""No self-promotion through the user admin: an Administrator cleared to Protected A tries every
escalation by POST and is refused; a superuser may; every change of privilege is traceable."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from core.models import AccessLogEntry

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another long password 2"


@pytest.fixture
def erin(make_user):
    """An Administrator cleared to Protected A, not a superuser."""
    return make_user("erin", "administrator", is_staff=True, clearance="protected_a")


@pytest.fixture
def erin_client(client, erin):
    client.force_login(erin)
    return client


def change(client, account, **fields):
    """POST the account's admin change form with its current values, then `fields` on top."""
    data = {
        "username": account.username,
        "clearance": account.clearance,
        "language": account.language,
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "groups": [group.pk for group in account.groups.all()],
        "user_permissions": [permission.pk for permission in account.user_permissions.all()],
    }
    for flag in ("is_active", "is_staff", "is_superuser"):
        if getattr(account, flag):
            data[flag] = "on"
    data.update(fields)
    return client.post(reverse("admin:dialogue_user_change", args=[account.pk]), data)


def reset_password(client, account):
    return client.post(
        reverse("admin:auth_user_password_change", args=[account.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )


def role(name):
    return Group.objects.get(name=name)


def token_permission():
    return Permission.objects.get(content_type__app_label="authtoken", codename="add_token")


class TestOnTheirOwnAccount:
    def test_an_administrator_cannot_raise_their_own_clearance(self, erin_client, erin):
        change(erin_client, erin, clearance="protected_b")
        erin.refresh_from_db()
        assert erin.clearance == "protected_a"

    def test_an_administrator_cannot_make_themselves_superuser(self, erin_client, erin):
        change(erin_client, erin, is_superuser="on")
        erin.refresh_from_db()
        assert not erin.is_superuser

    def test_an_administrator_cannot_give_themselves_a_role(self, erin_client, erin):
        roles = [role("Administrators").pk, role("Case officers").pk]
        change(erin_client, erin, groups=roles)
        assert set(erin.groups.values_list("name", flat=True)) == {"Administrators"}

    def test_an_administrator_cannot_give_themselves_a_permission(self, erin_client, erin):
        change(erin_client, erin, user_permissions=[token_permission().pk])
        assert not erin.user_permissions.exists()

    def test_not_even_a_superuser_changes_their_own_clearance(self, admin_client, administrator):
        change(admin_client, administrator, clearance="protected_b")
        administrator.refresh_from_db()
        assert administrator.clearance == "unclassified"

    def test_an_administrator_cannot_widen_their_own_role(self, erin_client):
        administrators = role("Administrators")
        held = set(administrators.permissions.values_list("pk", flat=True))
        response = erin_client.post(
            reverse("admin:auth_group_change", args=[administrators.pk]),
            {"name": "Administrators", "permissions": [*held, token_permission().pk]},
        )
        assert response.status_code == 403
        assert token_permission() not in administrators.permissions.all()


class TestOnOtherAccounts:
    def test_an_administrator_cannot_make_a_superuser(self, erin_client, make_user):
        reader = make_user("reader", "analyst")
        change(erin_client, reader, is_superuser="on")
        reader.refresh_from_db()
        assert not reader.is_superuser

    def test_an_administrator_grants_at_most_their_own_clearance(self, erin_client, make_user):
        reader = make_user("reader", "analyst")
        response = change(erin_client, reader, clearance="protected_b")
        assert response.status_code == 200
        assert "Select a valid choice" in response.text
        reader.refresh_from_db()
        assert reader.clearance == "unclassified"

    def test_an_administrator_grants_only_permissions_they_hold(self, erin_client, make_user):
        reader = make_user("reader", "analyst")
        response = change(erin_client, reader, user_permissions=[token_permission().pk])
        assert response.status_code == 200
        assert not reader.user_permissions.exists()

    def test_an_administrator_cannot_edit_a_more_cleared_account(self, erin_client, make_user):
        cleared = make_user("cleared", "analyst", clearance="protected_b")
        response = change(erin_client, cleared, email="taken@example.org")
        assert response.status_code == 403
        cleared.refresh_from_db()
        assert cleared.email == ""

    def test_an_administrator_cannot_edit_a_superuser(self, erin_client, administrator):
        response = change(erin_client, administrator, email="taken@example.org")
        assert response.status_code == 403
        administrator.refresh_from_db()
        assert administrator.email == ""

    @pytest.mark.parametrize("target", ["cleared administrator", "superuser"])
    def test_an_administrator_cannot_reset_their_password(
        self, erin_client, make_user, administrator, target
    ):
        if target == "superuser":
            account = administrator
        else:
            account = make_user("frank", "administrator", is_staff=True, clearance="protected_b")
        response = reset_password(erin_client, account)
        assert response.status_code == 403
        account.refresh_from_db()
        assert not account.check_password(NEW_PASSWORD)

    def test_an_administrator_cannot_delete_a_superuser(self, erin_client, administrator):
        response = erin_client.post(
            reverse("admin:dialogue_user_delete", args=[administrator.pk]), {"post": "yes"}
        )
        assert response.status_code == 403
        administrator.refresh_from_db()

    def test_within_their_own_reach_an_administrator_still_grants(
        self, erin_client, erin, make_user
    ):
        reader = make_user("reader", "analyst")
        response = change(
            erin_client,
            reader,
            clearance="protected_a",
            groups=[role("Analysts").pk, role("Follow-up planners").pk],
        )
        assert response.status_code == 302, response.text[:2000]
        reader.refresh_from_db()
        assert reader.clearance == "protected_a"
        assert set(reader.groups.values_list("name", flat=True)) == {
            "Analysts",
            "Follow-up planners",
        }

    def test_only_a_case_officer_grants_the_case_officer_role(self, erin_client, make_user):
        reader = make_user("reader", "analyst")
        response = change(erin_client, reader, groups=[role("Case officers").pk])
        assert response.status_code == 200
        assert not reader.groups.filter(name="Case officers").exists()

    def test_only_a_case_officer_edits_or_resets_a_case_officer(self, erin_client, make_user):
        cora = make_user("cora", "case_officer")
        assert change(erin_client, cora, email="taken@example.org").status_code == 403
        assert reset_password(erin_client, cora).status_code == 403
        cora.refresh_from_db()
        assert not cora.check_password(NEW_PASSWORD)


class TestSuperuser:
    def test_a_superuser_makes_a_superuser_and_grants_any_clearance(self, admin_client, make_user):
        reader = make_user("reader", "analyst")
        response = change(admin_client, reader, is_superuser="on", clearance="protected_b")
        assert response.status_code == 302, response.text[:2000]
        reader.refresh_from_db()
        assert reader.is_superuser
        assert reader.clearance == "protected_b"

    def test_a_superuser_resets_another_superuser_s_password(self, admin_client, make_user):
        other = make_user("root2", is_staff=True, is_superuser=True)
        response = reset_password(admin_client, other)
        assert response.status_code == 302
        other.refresh_from_db()
        assert other.check_password(NEW_PASSWORD)


class TestTraces:
    def test_a_change_of_role_and_clearance_is_in_history_and_the_access_log(
        self, erin_client, erin, make_user
    ):
        reader = make_user("reader", "analyst")
        change(
            erin_client,
            reader,
            clearance="protected_a",
            groups=[role("Follow-up planners").pk],
        )
        reason = reader.history.latest().history_change_reason
        assert "clearance unclassified → protected_a" in reason
        assert "groups +Follow-up planners -Analysts" in reason
        entry = AccessLogEntry.objects.get(object_id=str(reader.pk))
        assert entry.username == "erin"
        assert "reader: clearance unclassified → protected_a" in entry.object_repr
        assert "+Follow-up planners -Analysts" in entry.object_repr

    def test_a_password_reset_is_in_history_and_the_access_log(self, erin_client, make_user):
        reader = make_user("reader", "analyst")
        assert reset_password(erin_client, reader).status_code == 302
        assert reader.history.latest().history_change_reason == "password reset"
        entry = AccessLogEntry.objects.get(object_id=str(reader.pk))
        assert (entry.username, entry.object_repr) == ("erin", "reader: password reset")

    def test_a_change_that_grants_nothing_is_not_logged(self, erin_client, make_user):
        reader = make_user("reader", "analyst")
        change(erin_client, reader, email="reader@example.org")
        assert not AccessLogEntry.objects.exists()
