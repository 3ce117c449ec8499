"""The permission backend reads, in one statement, exactly what Django's ModelBackend reads."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.backends import PermissionBackend
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db


def both(user_model, user):
    """Each backend's answer, each on a user read afresh (no permission kept from before)."""
    return (
        PermissionBackend().get_all_permissions(user_model.objects.get(pk=user.pk)),
        ModelBackend().get_all_permissions(user_model.objects.get(pk=user.pk)),
    )


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_holds_what_django_would_say(make_user, django_user_model, role):
    user = make_user("someone", role)
    ours, djangos = both(django_user_model, user)
    assert ours == djangos
    assert ours  # every role holds some permission


def test_roles_and_given_permissions_together(make_user, django_user_model):
    user = make_user("several", ("officer", "case_officer"))
    given = Permission.objects.get(codename="add_logentry")
    user.user_permissions.add(given)
    ours, djangos = both(django_user_model, user)
    assert ours == djangos
    assert "admin.add_logentry" in ours


def test_a_permission_given_to_nobody_else_through_a_role_of_its_own(make_user, django_user_model):
    user = make_user("solo")
    role = Group.objects.create(name="Readers of log entries")
    role.permissions.add(Permission.objects.get(codename="view_logentry"))
    user.groups.add(role)
    assert both(django_user_model, user) == ({"admin.view_logentry"}, {"admin.view_logentry"})


def test_no_role_no_permission(make_user, django_user_model):
    assert both(django_user_model, make_user("nobody")) == (set(), set())


def test_an_inactive_account_holds_nothing(make_user, django_user_model):
    user = make_user("gone", "administrator", is_active=False)
    assert both(django_user_model, user) == (set(), set())


def test_a_superuser_holds_every_permission(make_user, django_user_model):
    user = make_user("root", is_superuser=True)
    ours, djangos = both(django_user_model, user)
    assert ours == djangos
    assert len(ours) == Permission.objects.count()


def test_one_statement_then_kept_for_the_request(make_user):
    user = make_user("reader", "analyst")
    with CaptureQueriesContext(connection) as queries:
        assert user.has_perm("rounds.view_round")
        assert not user.has_perm("rounds.delete_round")
        assert user.has_module_perms("rounds")
    assert len(queries) == 1


def test_a_role_taken_away_is_seen_on_the_next_request(make_user, django_user_model, client):
    user = make_user("leaver", "analyst")
    client.force_login(user)
    assert client.get("/rounds/").status_code == 200
    user.groups.clear()
    assert client.get("/rounds/").status_code == 403
    assert PermissionBackend().get_all_permissions(django_user_model.objects.get(pk=user.pk)) == (
        set()
    )


def test_each_kind_is_kept_as_django_keeps_it_from_the_one_statement(make_user, django_user_model):
    user = make_user("several", ("officer", "case_officer"))
    user.user_permissions.add(Permission.objects.get(codename="add_logentry"))
    ours = django_user_model.objects.get(pk=user.pk)
    djangos = django_user_model.objects.get(pk=user.pk)
    PermissionBackend().get_all_permissions(ours)
    ModelBackend().get_all_permissions(djangos)
    with CaptureQueriesContext(connection) as queries:
        assert PermissionBackend().get_user_permissions(ours) == {"admin.add_logentry"}
        assert PermissionBackend().get_group_permissions(ours) == (
            ModelBackend().get_group_permissions(djangos)
        )
    assert len(queries) == 0


def test_a_kind_asked_first_is_kept_when_the_roles_change_in_the_request(
    make_user, django_user_model
):
    """Django answers from the kind it already read; so does this backend."""
    user = make_user("reader", "analyst")
    answers = []
    for backend in (PermissionBackend(), ModelBackend()):
        reader = django_user_model.objects.get(pk=user.pk)
        backend.get_group_permissions(reader)
        reader.groups.clear()
        answers.append(backend.has_perm(reader, "rounds.view_round"))
        user.groups.set(Group.objects.filter(name="Analysts"))
    assert answers == [True, True]


def test_all_then_each_kind_agree_after_the_roles_change(make_user, django_user_model):
    user = make_user("reader", "analyst")
    answers = []
    for backend in (PermissionBackend(), ModelBackend()):
        reader = django_user_model.objects.get(pk=user.pk)
        every = backend.get_all_permissions(reader)
        reader.groups.clear()
        answers.append((every, backend.get_group_permissions(reader)))
        user.groups.set(Group.objects.filter(name="Analysts"))
    assert answers[0] == answers[1]
    assert answers[0][0] == answers[0][1]


def test_an_unsaved_user_is_refused_as_django_refuses_it(django_user_model):
    for backend in (PermissionBackend(), ModelBackend()):
        with pytest.raises(ValueError):
            backend.get_all_permissions(django_user_model(username="unsaved"))
