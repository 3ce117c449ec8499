"""Outside review of commit 519a96c: agenda items and site visits versioned, and the version
check skipped for a row whose sent values are its values now."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from rounds.models import AgendaItem, SiteVisit
from tests.helpers import as_posted
from tests.rounds.factories import AgendaItemFactory, RoundFactory, SiteVisitFactory
from tests.rounds.test_recording import posted
from tests.rounds.test_version_checked_removals import row_url
from tests.stakeholders.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def olivia(make_user):
    return make_user("olivia", "officer", clearance="protected_a")


@pytest.fixture
def otto(make_user):
    return make_user("otto", "officer", clearance="protected_a")


def logged(user):
    client = Client()
    client.force_login(user)
    return client


# -- the skip: a row left alone, changed meanwhile, is written again as the wrong user --------


def test_a_row_left_alone_and_changed_meanwhile_is_not_written_again(olivia, otto):
    """Olivia's row page is open; Otto changes the item's presenting organizations (not on
    the page: the admin or the API). Olivia saves her page unchanged: nothing of hers changed
    the item, so it stays Otto's change, at his version (the skip lets the save through
    instead of refusing it; it must not write)."""
    item = AgendaItemFactory(title="Prison visits")
    url = row_url(item, "agenda")
    mine = posted(logged(olivia).get(url), "agenda")
    org = OrganizationFactory()
    theirs = AgendaItem.objects.get(pk=item.pk)
    theirs.updated_by = otto
    theirs.save()
    theirs.presenting_organizations.set([org])

    response = logged(olivia).post(url, mine)

    assert response.status_code == 302
    now = AgendaItem.objects.get(pk=item.pk)
    assert list(now.presenting_organizations.all()) == [org]  # the skip holds for values
    # ...but the row was saved again, as Olivia's, at a new version:
    assert now.updated_by == otto, "row left alone is stamped as changed by the other user"
    assert now.version == 2, "row left alone is written again (version bumped)"
    assert item.history.count() == 2  # made, then Otto's change: no empty entry by Olivia


def test_a_no_op_save_does_not_refuse_the_next_api_client(olivia, make_user):
    """An API client read version 2; an officer's untouched row page (opened at 1) is saved.
    The client's PATCH must not be refused as if someone changed the item."""
    planner = make_user("pat", "officer", clearance="protected_b")
    item = AgendaItemFactory(title="Prison visits")
    url = row_url(item, "agenda")
    mine = posted(logged(olivia).get(url), "agenda")
    api = logged(planner)
    org = OrganizationFactory()
    patched = api.patch(
        f"/api/v1/agenda-items/{item.pk}/",
        json.dumps({"presenting_organizations": [org.pk], "version": 1}),
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.content
    read = api.get(f"/api/v1/agenda-items/{item.pk}/").json()
    assert read["version"] == 2

    assert logged(olivia).post(url, mine).status_code == 302  # nothing of hers changed

    again = api.patch(
        f"/api/v1/agenda-items/{item.pk}/",
        json.dumps({"summary": "Raised three times", "version": read["version"]}),
        content_type="application/json",
    )
    assert again.status_code == 200, again.json()


def test_the_round_admin_does_not_restamp_inline_rows_changed_elsewhere(admin_client, otto):
    """An administrator's round page is open; an officer changes an agenda item's summary and a
    site visit's purpose (fields not on the inline). Saving the round page must not make the
    administrator the last to change those rows."""
    round_ = RoundFactory()
    item = AgendaItemFactory(round=round_, title="Prison visits")
    visit = SiteVisitFactory(round=round_, city="Lhasa")
    url = reverse("admin:rounds_round_change", args=[round_.pk])
    form = as_posted(admin_client.get(url))
    for row, section, field in ((item, "agenda", "summary"), (visit, "visits", "purpose")):
        page = logged(otto).get(row_url(row, section))
        data = posted(page, section, **{f"{section}-0-{field}": "Changed by Otto"})
        assert logged(otto).post(row_url(row, section), data).status_code == 302

    assert admin_client.post(url, form).status_code == 302

    for model, row in ((AgendaItem, item), (SiteVisit, visit)):
        now = model.objects.get(pk=row.pk)
        assert now.updated_by == otto, f"{model.__name__} restamped by the admin's save"
        assert now.version == 2, f"{model.__name__} written again"


# -- API ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["agenda-items", "site-visits"])
@pytest.mark.parametrize(
    "version", [None, "", "abc", "-1", -1, 10**30, [1], {"a": 1}, True, 1.0, "1\x00"]
)
def test_odd_versions_in_the_api_answer_400(make_user, prefix, version):
    planner = make_user("pat", "officer", clearance="protected_b")
    row = AgendaItemFactory() if prefix == "agenda-items" else SiteVisitFactory()
    body = {"summary" if prefix == "agenda-items" else "purpose": "x"}
    if version is not None:
        body["version"] = version
    for method in ("patch", "put"):
        response = getattr(logged(planner), method)(
            f"/api/v1/{prefix}/{row.pk}/", json.dumps(body), content_type="application/json"
        )
        assert response.status_code == 400, (method, version, response.content[:300])
        assert "version" in response.json() or method == "put"
    assert type(row).objects.get(pk=row.pk).version == 1


# -- odd expected_version on the pages ---------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999999999", "1\x00", "", " "])
@pytest.mark.parametrize("change", [True, False])
def test_odd_expected_versions_on_the_row_page_never_fail(olivia, value, change):
    item = AgendaItemFactory(title="Prison visits")
    url = row_url(item, "agenda")
    data = posted(logged(olivia).get(url), "agenda", **{"agenda-0-expected_version": value})
    if change:
        data["agenda-0-title"] = "Mine"
    response = logged(olivia).post(url, data)
    assert response.status_code in (302, 400)
    now = AgendaItem.objects.get(pk=item.pk)
    if change and value.strip() not in ("1",):
        assert now.title == "Prison visits"


# -- imports and history (these hold) ------------------------------------------------------------


def test_an_import_while_a_row_page_is_open_is_not_overwritten(olivia, make_user):
    import tablib

    from rounds.resources import AgendaItemResource

    item = AgendaItemFactory(title="Prison visits", summary="Raised")
    url = row_url(item, "agenda")
    mine = posted(logged(olivia).get(url), "agenda", **{"agenda-0-summary": "Mine"})
    importer = make_user("ian", ("officer", "administrator"), clearance="protected_b")
    round_ = item.round
    data = tablib.Dataset(
        [
            f"{round_.dialogue.slug}:{round_.number}",
            "Prison visits",
            "From the file",
            "unclassified",
        ],
        headers=["round", "title", "summary", "security_marking"],
    )
    result = AgendaItemResource().import_data(data, dry_run=False, user=importer)
    assert not result.has_errors() and not result.has_validation_errors()
    assert AgendaItem.objects.get(pk=item.pk).version == 2

    refused = logged(olivia).post(url, mine)
    assert refused.status_code == 400
    assert AgendaItem.objects.get(pk=item.pk).summary == "From the file"


@pytest.mark.parametrize("section", ["agenda", "visits"])
def test_history_pages_of_a_versioned_row(admin_client, olivia, section):
    row = AgendaItemFactory() if section == "agenda" else SiteVisitFactory()
    field = "summary" if section == "agenda" else "purpose"
    url = row_url(row, section)
    data = posted(logged(olivia).get(url), section, **{f"{section}-0-{field}": "Changed"})
    assert logged(olivia).post(url, data).status_code == 302
    model = type(row)._meta
    page = admin_client.get(f"/history/{model.app_label}/{model.model_name}/{row.pk}/")
    assert page.status_code == 200
    admin = admin_client.get(f"/admin/{model.app_label}/{model.model_name}/{row.pk}/history/")
    assert admin.status_code == 200
