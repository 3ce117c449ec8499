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
