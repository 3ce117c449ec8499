"""Attacks on the removals held to the version read (core.models.remove_as_read): a version that
is no whole number, however it is written, is refused as one naming no version, never a 500."""

import pytest
from django.urls import reverse

from followup.models import FollowUpProject
from tests.followup.factories import FollowUpProjectFactory

pytestmark = pytest.mark.django_db

# "²" is a digit to str.isdigit() but no number to int(); int() reads no more than 4300 digits.
NOT_NUMBERS = ["²", "1" * 5000]


@pytest.fixture
def planner(client, make_user):
    client.force_login(make_user("uma", "planner", clearance="protected_b"))
    return client


@pytest.fixture
def staff_client(client, make_user):
    client.force_login(make_user("ada", "administrator", is_staff=True, clearance="protected_b"))
    return client


@pytest.mark.parametrize("version", NOT_NUMBERS)
def test_an_api_removal_naming_a_version_that_is_no_number_is_refused(planner, version):
    project = FollowUpProjectFactory(title="Legal aid")
    response = planner.delete(f"/api/v1/projects/{project.pk}/", QUERY_STRING=f"version={version}")
    assert response.status_code == 400
    assert "now 1" in response.json()["version"][0]
    assert FollowUpProject.objects.filter(pk=project.pk).exists()


@pytest.mark.parametrize("version", NOT_NUMBERS)
def test_an_admin_removal_naming_a_version_that_is_no_number_is_refused(staff_client, version):
    project = FollowUpProjectFactory(title="Legal aid")
    url = reverse("admin:followup_followupproject_delete", args=[project.pk])
    response = staff_client.post(url, {"post": "yes", "expected_version": version}, follow=True)
    assert response.status_code == 200
    assert "it was not deleted" in response.text
    assert FollowUpProject.objects.filter(pk=project.pk).exists()


# -- the admin's "delete selected" action ----------------------------------------------------------


def saved_by_someone_else(project):
    other = FollowUpProject.objects.get(pk=project.pk)
    other.title = "Legal aid, as corrected"
    other.save()
    return other.version


def selected_removal(staff_client, *projects, **versions):
    return staff_client.post(
        reverse("admin:followup_followupproject_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [project.pk for project in projects],
            "post": "yes",
            **versions,
        },
        follow=True,
    )


def test_the_selected_removal_confirmation_carries_the_versions_it_showed(staff_client):
    one, two = FollowUpProjectFactory(), FollowUpProjectFactory()
    now = saved_by_someone_else(two)
    page = staff_client.post(
        reverse("admin:followup_followupproject_changelist"),
        {"action": "delete_selected", "_selected_action": [one.pk, two.pk]},
    )
    assert f'name="expected_version_{one.pk}" value="1"' in page.text
    assert f'name="expected_version_{two.pk}" value="{now}"' in page.text


def test_a_selected_removal_of_a_record_changed_since_the_confirmation_removes_none(staff_client):
    one, two = FollowUpProjectFactory(title="Housing"), FollowUpProjectFactory(title="Legal aid")
    saved_by_someone_else(two)  # after the confirmation showed it at version 1

    response = selected_removal(
        staff_client, one, two, **{f"expected_version_{one.pk}": 1, f"expected_version_{two.pk}": 1}
    )

    assert "Someone else changed one of the selected records" in response.text
    assert FollowUpProject.objects.get(pk=two.pk).title == "Legal aid, as corrected"
    assert FollowUpProject.objects.filter(pk=one.pk).exists()  # none is removed


def test_a_selected_removal_naming_no_versions_removes_none(staff_client):
    project = FollowUpProjectFactory(title="Legal aid")
    response = selected_removal(staff_client, project)
    assert "Someone else changed one of the selected records" in response.text
    assert FollowUpProject.objects.filter(pk=project.pk).exists()


def test_a_selected_removal_of_the_versions_shown_removes_them(staff_client):
    one, two = FollowUpProjectFactory(), FollowUpProjectFactory()
    now = saved_by_someone_else(two)
    versions = {f"expected_version_{one.pk}": 1, f"expected_version_{two.pk}": now}
    response = selected_removal(staff_client, one, two, **versions)
    assert "Successfully deleted 2" in response.text
    assert not FollowUpProject.objects.filter(pk__in=[one.pk, two.pk]).exists()
