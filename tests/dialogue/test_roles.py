"""The five roles exist as groups with the permissions their work needs, and no more."""

import pytest
from django.contrib.auth.models import Group, Permission

pytestmark = pytest.mark.django_db


def codenames(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return set(group.permissions.values_list("codename", flat=True))


def test_the_five_roles_exist():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Dialogue officers",
        "Follow-up planners",
        "Analysts",
        "Case officers",
        "Administrators",
    }


def test_dialogue_officers_record_rounds_but_not_cases_or_projects():
    perms = codenames("Dialogue officers")
    assert {"add_round", "change_agendaitem", "add_delegationmember", "add_followupaction"} <= perms
    assert "add_followupproject" not in perms
    assert not {p for p in perms if p.endswith(("caseofconcern", "caseraising"))}


def test_planners_manage_follow_up_and_only_read_rounds():
    perms = codenames("Follow-up planners")
    assert {"add_followupproject", "change_benchmarkevent", "view_round"} <= perms
    assert "change_round" not in perms
    assert "view_caseofconcern" not in perms


def test_analysts_only_read_and_never_see_cases():
    perms = codenames("Analysts")
    assert perms
    assert all(codename.startswith("view_") for codename in perms)
    assert "view_caseofconcern" not in perms


def test_case_officers_keep_the_cases():
    perms = codenames("Case officers")
    assert {"add_caseofconcern", "change_caseraising", "view_round"} <= perms
    assert "change_round" not in perms


def test_administrators_hold_every_permission_on_accounts_and_records():
    apps = ["auth", "dialogue", "rounds", "stakeholders", "followup"]
    every = Permission.objects.filter(content_type__app_label__in=apps)
    assert codenames("Administrators") >= set(every.values_list("codename", flat=True))
