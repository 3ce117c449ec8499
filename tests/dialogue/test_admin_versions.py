"""Two people saving the same admin page: inline rows carry their version, so nobody's change to
a row is reverted silently, and a page that does not say which version it edits is refused."""

import pytest
from django.urls import reverse

from followup.models import FollowUpAction, FollowUpProject
from tests.followup.factories import FollowUpActionFactory, FollowUpProjectFactory
from tests.helpers import as_posted

pytestmark = pytest.mark.django_db


@pytest.fixture
def project_page(admin_client):
    project = FollowUpProjectFactory(title="Legal aid")
    action = FollowUpActionFactory(project=project, title="Send the texts")
    url = reverse("admin:followup_followupproject_change", args=[project.pk])
    page = admin_client.get(url)
    assert 'name="actions-0-expected_version"' in page.text
    return project, action, url, as_posted(page)


def test_a_row_changed_meanwhile_is_not_reverted_and_nothing_is_saved(admin_client, project_page):
    _project, action, url, form = project_page
    action.title = "Send the translated texts"  # another administrator, meanwhile
    action.save()

    response = admin_client.post(url, form | {"title": "Legal aid, phase 2"})

    assert response.status_code == 200
    row_errors = response.context["inline_admin_formsets"][0].formset.forms[0].non_field_errors()
    assert "Someone else saved this record" in str(row_errors)
    assert "Send the translated texts" in str(row_errors)  # what they changed
    assert FollowUpAction.objects.get().title == "Send the translated texts"
    assert FollowUpProject.objects.get().title == "Legal aid"  # the page saved nothing
    # Having seen the change, the row now carries the new version and saves.
    assert 'name="actions-0-expected_version" value="2"' in response.text
    again = admin_client.post(url, form | {"actions-0-expected_version": "2"})
    assert again.status_code == 302
    assert FollowUpAction.objects.get().title == "Send the texts"


def test_an_untouched_page_still_saves(admin_client, project_page):
    _project, _action, url, form = project_page
    response = admin_client.post(url, form | {"actions-0-title": "Send the texts today"})
    assert response.status_code == 302
    assert FollowUpAction.objects.get().title == "Send the texts today"


@pytest.mark.parametrize("field", ["expected_version", "actions-0-expected_version"])
def test_a_page_without_the_version_is_refused(admin_client, project_page, field):
    _project, _action, url, form = project_page
    del form[field]
    response = admin_client.post(
        url, form | {"title": "Legal aid, phase 2", "actions-0-title": "Mine"}
    )
    assert response.status_code == 200
    assert "Version: this field is required to save a change" in response.text
    assert FollowUpProject.objects.get().title == "Legal aid"
    assert FollowUpAction.objects.get().title == "Send the texts"
