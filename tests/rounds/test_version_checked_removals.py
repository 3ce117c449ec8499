"""Removing a versioned row (a commitment, a material, an agenda item, a site visit) checks the
version the remover was shown, as a save does: a row someone else changed since the page was
opened is not removed, the page says what they changed and keeps the user's other entries; an
unchanged row is removed."""

import pytest
from django.test import Client
from django.urls import reverse

from core.models import StaleEdit
from followup.models import FollowUpAction
from rounds.models import Commitment, Material
from tests.followup.factories import FollowUpActionFactory, FollowUpProjectFactory
from tests.helpers import as_posted
from tests.rounds.factories import (
    AgendaItemFactory,
    CommitmentFactory,
    MaterialFactory,
    RoundFactory,
    SiteVisitFactory,
)
from tests.rounds.test_recording import posted

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, make_user):
    client.force_login(make_user("olivia", "officer", clearance="protected_a"))
    return client


@pytest.fixture
def other_client(make_user):
    other = Client()
    other.force_login(make_user("otto", "officer", clearance="protected_a"))
    return other


def row_url(row, section):
    return f"/rounds/{row.round_id}/edit/{section}/{row.pk}/"


def test_a_commitment_changed_meanwhile_is_not_removed_and_the_page_says_what_changed(
    officer_client, other_client
):
    promise = CommitmentFactory(text="Send the regulation")
    url = row_url(promise, "commitments")
    mine = posted(officer_client.get(url), "commitments", **{"commitments-0-DELETE": "on"})
    theirs = posted(
        other_client.get(url), "commitments", **{"commitments-0-text": "Send the regulation now"}
    )
    assert other_client.post(url, theirs).status_code == 302

    refused = officer_client.post(url, mine)

    assert refused.status_code == 400
    assert "so it was not removed" in refused.text
    changed = "what was undertaken: “Send the regulation” → “Send the regulation now” (by otto)"
    assert changed in refused.text
    assert Commitment.objects.get(pk=promise.pk).text == "Send the regulation now"
    # Having seen the change, the page carries the new version: removing again removes it.
    assert 'name="commitments-0-expected_version" value="2"' in refused.text
    again = officer_client.post(url, {**mine, "commitments-0-expected_version": "2"})
    assert again.status_code == 302
    assert not Commitment.objects.filter(pk=promise.pk).exists()


def test_an_unchanged_commitment_or_material_is_removed(officer_client):
    promise, material = CommitmentFactory(), MaterialFactory(title="Speaking notes")
    for row, section in ((promise, "commitments"), (material, "materials")):
        url = row_url(row, section)
        data = posted(officer_client.get(url), section, **{f"{section}-0-DELETE": "on"})
        response = officer_client.post(url, data)
        assert response.status_code == 302
        assert response["Location"] == f"/rounds/{row.round_id}/edit/#{section}"
    assert not Commitment.objects.filter(pk=promise.pk).exists()
    assert not Material.objects.filter(pk=material.pk).exists()


def test_a_removal_without_a_version_is_refused(officer_client):
    promise = CommitmentFactory()
    url = row_url(promise, "commitments")
    data = posted(officer_client.get(url), "commitments", **{"commitments-0-DELETE": "on"})
    del data["commitments-0-expected_version"]
    refused = officer_client.post(url, data)
    assert refused.status_code == 400
    assert "this field is required to remove a record" in refused.text
    assert Commitment.objects.filter(pk=promise.pk).exists()


def test_a_section_post_keeps_the_other_rows_entries_when_one_removal_is_refused(
    officer_client, other_client
):
    """A script (or an older page) posting several materials at once: one to remove, changed
    meanwhile; one edited. Nothing is saved, the refusal is on its row, the edit is kept."""
    round_ = RoundFactory()
    gone, kept = MaterialFactory(round=round_, title="Old notes"), MaterialFactory(round=round_)
    data = posted(officer_client.get(row_url(gone, "materials")), "materials")
    data["materials-0-DELETE"] = "on"
    other = posted(officer_client.get(row_url(kept, "materials")), "materials")
    data |= {
        key.replace("materials-0-", "materials-1-"): value
        for key, value in other.items()
        if key.startswith("materials-0-")
    }
    data |= {
        "materials-TOTAL_FORMS": "2",
        "materials-INITIAL_FORMS": "2",
        "materials-1-title": "Talking points, revised",
    }
    theirs = posted(
        other_client.get(row_url(gone, "materials")),
        "materials",
        **{"materials-0-title": "Old notes, annotated"},
    )
    assert other_client.post(row_url(gone, "materials"), theirs).status_code == 302

    refused = officer_client.post(f"/rounds/{round_.pk}/edit/materials/", data)

    assert refused.status_code == 400
    assert "so it was not removed" in refused.text
    assert "“Old notes” → “Old notes, annotated” (by otto)" in refused.text
    assert 'value="Talking points, revised"' in refused.text  # the other entry is kept
    assert Material.objects.get(pk=gone.pk).title == "Old notes, annotated"
    assert Material.objects.get(pk=kept.pk).title == kept.title  # nothing saved


def test_the_database_refuses_removing_a_row_read_before_another_save():
    """Two removals or a save and a removal racing past the form's check: the removal of a
    row read at an older version is refused where it is made, as a save is."""
    promise = CommitmentFactory(text="Send the regulation")
    read_before = Commitment.objects.get(pk=promise.pk)
    promise.text = "Send the regulation now"
    promise.save()
    with pytest.raises(StaleEdit):
        read_before.delete()
    assert Commitment.objects.filter(pk=promise.pk).exists()
    Commitment.objects.get(pk=promise.pk).delete()  # read as it is now: removed
    assert not Commitment.objects.filter(pk=promise.pk).exists()


def test_the_admin_does_not_remove_an_inline_row_changed_meanwhile(admin_client):
    project = FollowUpProjectFactory(title="Legal aid")
    action = FollowUpActionFactory(project=project, title="Send the texts")
    url = reverse("admin:followup_followupproject_change", args=[project.pk])
    form = as_posted(admin_client.get(url)) | {"actions-0-DELETE": "on"}
    action.title = "Send the translated texts"  # another administrator, meanwhile
    action.save()

    refused = admin_client.post(url, form)

    assert refused.status_code == 200
    errors = refused.context["inline_admin_formsets"][0].formset.forms[0].non_field_errors()
    assert "so it was not removed" in str(errors)
    assert "Send the translated texts" in str(errors)
    assert FollowUpAction.objects.filter(pk=action.pk).exists()
    again = admin_client.post(url, form | {"actions-0-expected_version": "2"})
    assert again.status_code == 302
    assert not FollowUpAction.objects.filter(pk=action.pk).exists()


@pytest.mark.parametrize(
    ("factory", "section", "field", "theirs", "mine"),
    [
        (AgendaItemFactory, "agenda", "title", "Prison visits, revised", "Prison visits, mine"),
        (SiteVisitFactory, "visits", "purpose", "A court, then a prison", "A court, mine"),
    ],
)
def test_an_agenda_item_or_site_visit_saved_meanwhile_is_neither_overwritten_nor_removed(
    officer_client, other_client, factory, section, field, theirs, mine
):
    """Two officers recording the same round: the second to save an agenda item or a site visit
    the first has changed since their page was opened is told what changed, and neither their
    change nor their removal overwrites it."""
    row = factory()
    model = type(row)
    url = row_url(row, section)
    page = officer_client.get(url)
    edit = posted(page, section, **{f"{section}-0-{field}": mine})
    removal = posted(page, section, **{f"{section}-0-DELETE": "on"})
    assert (
        other_client.post(
            url, posted(other_client.get(url), section, **{f"{section}-0-{field}": theirs})
        ).status_code
        == 302
    )

    for data in (edit, removal):
        refused = officer_client.post(url, data)
        assert refused.status_code == 400
        assert "(by otto)" in refused.text
        assert getattr(model.objects.get(pk=row.pk), field) == theirs

    # Having seen the change, saving again applies the officer's entry on top of it.
    again = officer_client.post(url, {**edit, f"{section}-0-expected_version": "2"})
    assert again.status_code == 302
    assert getattr(model.objects.get(pk=row.pk), field) == mine
