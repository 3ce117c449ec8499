"""Removing a versioned record through the API or the admin holds it to the version its remover
read, as the pages' rows do (core.models.remove_as_read): a removal decided on what someone else
has since changed would destroy their change unseen."""

import re

import pytest
from django.urls import reverse

from followup.models import FollowUpProject
from rounds.models import Topic
from tests.followup.factories import FollowUpProjectFactory
from tests.rounds.factories import TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner(client, make_user):
    client.force_login(make_user("uma", "planner", clearance="protected_b"))
    return client


@pytest.fixture
def staff_client(client, make_user):
    client.force_login(make_user("ada", "administrator", is_staff=True, clearance="protected_b"))
    return client


def saved_by_someone_else(project):
    other = FollowUpProject.objects.get(pk=project.pk)
    other.title = "Legal aid, as corrected"
    other.save()
    return other.version


# -- the API ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "?version=", "?version=abc", "?version=-1", "?version=1.0"])
def test_an_api_removal_naming_no_version_is_refused_and_says_what_to_send(planner, query):
    project = FollowUpProjectFactory(title="Legal aid")
    response = planner.delete(f"/api/v1/projects/{project.pk}/{query}")
    assert response.status_code == 400
    assert "now 1" in response.json()["version"][0]
    assert FollowUpProject.objects.filter(pk=project.pk).exists()


def test_an_api_removal_of_a_record_changed_since_it_was_read_is_a_conflict(planner):
    project = FollowUpProjectFactory(title="Legal aid")
    read = planner.get(f"/api/v1/projects/{project.pk}/").json()["version"]
    saved_by_someone_else(project)
    response = planner.delete(f"/api/v1/projects/{project.pk}/?version={read}")
    assert response.status_code == 409
    said = response.json()["detail"]
    assert "Someone else changed this record since you opened it" in said
    # What changed, and by whom, as the pages' stale message says it.
    assert "What they changed: title: “Legal aid” → “Legal aid, as corrected” (by" in said
    assert FollowUpProject.objects.get(pk=project.pk).title == "Legal aid, as corrected"


def test_an_api_removal_of_the_version_read_removes_the_record(planner):
    project = FollowUpProjectFactory(title="Legal aid")
    read = planner.get(f"/api/v1/projects/{project.pk}/").json()["version"]
    assert planner.delete(f"/api/v1/projects/{project.pk}/?version={read}").status_code == 204
    assert not FollowUpProject.objects.filter(pk=project.pk).exists()


def test_a_record_that_keeps_no_version_is_removed_without_one(admin_client):
    topic = TopicFactory()
    assert admin_client.delete(f"/api/v1/topics/{topic.pk}/").status_code == 204
    assert not Topic.objects.filter(pk=topic.pk).exists()


def test_the_schema_names_the_version_a_removal_sends(analyst_client):
    schema = analyst_client.get("/api/schema/?format=json").json()

    def asked(path):
        removal = schema["paths"][path]["delete"]
        return [(p["name"], p["required"]) for p in removal["parameters"] if p["in"] == "query"]

    assert asked("/api/v1/projects/{id}/") == [("version", True)]
    assert asked("/api/v1/consultation-requests/{id}/") == [("version", True)]
    # A record that has no version is removed without one: the schema asks for none.
    assert asked("/api/v1/organizations/{id}/") == []


# -- the admin -------------------------------------------------------------------------------------


def shown_version(page) -> str:
    return re.search(r'name="expected_version" value="(\d+)"', page.text).group(1)


def test_the_admin_confirmation_carries_the_version_it_showed(staff_client):
    project = FollowUpProjectFactory(title="Legal aid")
    saved_by_someone_else(project)
    url = reverse("admin:followup_followupproject_delete", args=[project.pk])
    assert shown_version(staff_client.get(url)) == "2"


def test_an_admin_removal_of_a_record_changed_since_the_confirmation_is_refused(staff_client):
    project = FollowUpProjectFactory(title="Legal aid")
    url = reverse("admin:followup_followupproject_delete", args=[project.pk])
    shown = shown_version(staff_client.get(url))
    now = saved_by_someone_else(project)

    response = staff_client.post(url, {"post": "yes", "expected_version": shown}, follow=True)

    assert "Someone else saved this record after you opened the page" in response.text
    assert FollowUpProject.objects.get(pk=project.pk).title == "Legal aid, as corrected"
    # The confirmation is shown again, as the record is now; confirming it removes the record.
    assert response.redirect_chain[-1][0] == url
    assert shown_version(response) == str(now)
    staff_client.post(url, {"post": "yes", "expected_version": now})
    assert not FollowUpProject.objects.filter(pk=project.pk).exists()


def test_an_admin_removal_refused_says_what_changed_and_by_whom(staff_client, make_user):
    project = FollowUpProjectFactory(title="Legal aid")
    url = reverse("admin:followup_followupproject_delete", args=[project.pk])
    shown = shown_version(staff_client.get(url))
    other = FollowUpProject.objects.get(pk=project.pk)
    other.title = "Legal aid, as corrected"
    other._history_user = make_user("ben", "planner")
    other.save()

    response = staff_client.post(url, {"post": "yes", "expected_version": shown}, follow=True)

    assert FollowUpProject.objects.filter(pk=project.pk).exists()
    assert "so it was not removed" in response.text
    assert "“Legal aid” → “Legal aid, as corrected” (by ben)" in response.text


@pytest.mark.parametrize("posted", [{}, {"expected_version": ""}, {"expected_version": "x"}])
def test_an_admin_removal_naming_no_version_is_refused(staff_client, posted):
    project = FollowUpProjectFactory(title="Legal aid")
    url = reverse("admin:followup_followupproject_delete", args=[project.pk])
    response = staff_client.post(url, {"post": "yes", **posted}, follow=True)
    assert response.status_code == 200
    assert "it was not deleted" in response.text
    assert FollowUpProject.objects.filter(pk=project.pk).exists()


def test_an_admin_removal_of_a_record_that_keeps_no_version_needs_none(staff_client):
    topic = TopicFactory()
    url = reverse("admin:rounds_topic_delete", args=[topic.pk])
    assert 'name="expected_version"' not in staff_client.get(url).text
    staff_client.post(url, {"post": "yes"})
    assert not Topic.objects.filter(pk=topic.pk).exists()


# -- versions that are no whole number ------------------------------------------------------------

# "²" is a digit to str.isdigit() but no number to int(); int() reads no more than 4300 digits.
NOT_NUMBERS = ["²", "1" * 5000]


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
