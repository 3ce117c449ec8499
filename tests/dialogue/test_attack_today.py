"""Attacks on the day's changes: each test a defect found, fixed with it."""

import pytest
from django.urls import reverse

from tests.followup.factories import FollowUpActionFactory, FollowUpProjectFactory
from tests.helpers import as_posted
from tests.stakeholders.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, make_user):
    client.force_login(make_user("ada", "administrator", is_staff=True, clearance="protected_b"))
    return client


@pytest.mark.parametrize("value", ["abc", "1.5", " ", "1,2"])
def test_an_admin_record_choice_posted_as_no_key_is_refused_on_its_field(staff_client, value):
    """The admin's search-as-you-type widgets look their value up to draw it again: a value
    that is no record's key (typed into the post) failed there, a 500, after the form had
    refused it."""
    action = FollowUpActionFactory(title="Send the texts")
    url = reverse("admin:followup_followupaction_change", args=[action.pk])
    response = staff_client.post(url, as_posted(staff_client.get(url)) | {"round": value})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert "Send the texts" in response.text  # the entries are kept


def test_an_admin_multiple_choice_keeps_the_good_keys_beside_one_that_is_none(staff_client):
    project = FollowUpProjectFactory(title="Legal aid")
    partner = OrganizationFactory(name="Kept partner")
    url = reverse("admin:followup_followupproject_change", args=[project.pk])
    form = as_posted(staff_client.get(url))
    form["partner_organizations"] = [str(partner.pk), "abc"]
    response = staff_client.post(url, form)
    assert response.status_code == 200
    assert "Kept partner" in response.text
    assert "Legal aid" in response.text


# -- a removal that loses the race with a save ----------------------------------------------------


def saved_meanwhile(monkeypatch, module):
    """Someone else saves the record between the removal's reading it and removing it (while
    the removal checks for hidden dependents, the last step before it removes)."""
    from core import access

    def check_then_save(user, obj):
        type(obj).objects.filter(pk=obj.pk).update(version=obj.version + 1)
        return access.delete_blocked_by_hidden(user, obj)

    monkeypatch.setattr(f"{module}.delete_blocked_by_hidden", check_then_save)


def test_an_api_removal_losing_the_race_with_a_save_is_a_conflict_not_an_error(
    client, make_user, monkeypatch
):
    from followup.models import FollowUpProject

    client.force_login(make_user("uma", "planner", clearance="protected_b"))
    project = FollowUpProjectFactory(title="Legal aid")
    saved_meanwhile(monkeypatch, "core.api")
    response = client.delete(f"/api/v1/projects/{project.pk}/?version={project.version}")
    assert response.status_code == 409
    assert "Someone else changed this record" in response.json()["detail"]
    assert FollowUpProject.objects.filter(pk=project.pk).exists()


def test_an_admin_removal_losing_the_race_with_a_save_says_so_not_an_error(
    staff_client, monkeypatch
):
    from followup.models import FollowUpProject

    project = FollowUpProjectFactory(title="Legal aid")
    url = reverse("admin:followup_followupproject_delete", args=[project.pk])
    saved_meanwhile(monkeypatch, "core.admin")
    response = staff_client.post(
        url, {"post": "yes", "expected_version": project.version}, follow=True
    )
    assert response.status_code == 200
    assert "Someone else saved this record after you opened the page" in response.text
    assert FollowUpProject.objects.filter(pk=project.pk).exists()
