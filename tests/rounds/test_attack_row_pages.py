"""A recorded row opened on its own page (rounds/<pk>/edit/<section>/<row>/), attacked: a row
whose references the user may not follow, a page that says a save failed before any save, a
script posting other rows than the one the page opened; and what held (hidden and foreign rows,
odd ids, other roles, the list's escaping, stale saves, the French interface)."""

import pytest
from django.test import Client

from core.models import SecurityMarking
from rounds.models import AgendaItem, Commitment, Material
from tests.rounds.factories import (
    AgendaItemFactory,
    CommitmentFactory,
    DialogueFactory,
    MaterialFactory,
    RoundFactory,
    SiteVisitFactory,
    TopicFactory,
)
from tests.rounds.test_recording import officer, officer_client, posted  # noqa: F401

pytestmark = pytest.mark.django_db

PB = SecurityMarking.PROTECTED_B
GONE = "This record was removed, or is no longer one you may see"
ONE_ROW = "This page saves the one record it opened"
NOT_SAVED = "This section was not saved."


def test_a_commitment_under_an_agenda_item_hidden_from_the_user_opens_and_saves_keeping_it(
    officer_client,  # noqa: F811
):
    """The commitment's agenda item, marked above the officer's clearance since: its row page
    (and a section save that names the row) failed with a server error."""
    round_ = RoundFactory()
    item = AgendaItemFactory(round=round_, title="CANARY item")
    promise = CommitmentFactory(round=round_, agenda_item=item, text="Open promise")
    AgendaItem.objects.filter(pk=item.pk).update(security_marking=PB)
    page = officer_client.get(f"/rounds/{round_.pk}/edit/")
    assert page.status_code == 200
    assert "CANARY" not in page.text
    assert "restricted record" in page.text  # the list says an item is there, not which
    row = f"/rounds/{round_.pk}/edit/commitments/{promise.pk}/"
    opened = officer_client.get(row)
    assert opened.status_code == 200
    assert "CANARY" not in opened.text
    assert 'name="commitments-0-agenda_item"' not in opened.text  # shown as the placeholder
    assert "restricted record" in opened.text
    saved = officer_client.post(
        row, posted(opened, "commitments", **{"commitments-0-text": "Open promise, kept"})
    )
    assert saved.status_code == 302
    promise.refresh_from_db()
    assert (promise.text, promise.agenda_item_id) == ("Open promise, kept", item.pk)
    # The section's own endpoint, posting the row as a script may.
    data = posted(officer_client.get(row), "commitments", **{"commitments-0-text": "Again"})
    section = officer_client.post(f"/rounds/{round_.pk}/edit/commitments/", data)
    assert section.status_code == 302
    promise.refresh_from_db()
    assert (promise.text, promise.agenda_item_id) == ("Again", item.pk)


def test_a_row_page_opened_does_not_say_it_was_not_saved(officer_client):  # noqa: F811
    round_ = RoundFactory()
    item = AgendaItemFactory(round=round_, title="Mine")
    opened = officer_client.get(f"/rounds/{round_.pk}/edit/agenda/{item.pk}/")
    assert opened.status_code == 200
    assert NOT_SAVED not in opened.text
    assert 'role="alert"' not in opened.text
    french = officer_client.get(f"/fr/rounds/{round_.pk}/edit/agenda/{item.pk}/")
    assert "n’a pas été enregistrée" not in french.text
    # A save that fails still says so.
    failed = officer_client.post(
        f"/rounds/{round_.pk}/edit/agenda/{item.pk}/",
        posted(opened, "agenda", **{"agenda-0-title": ""}),
    )
    assert failed.status_code == 400
    assert NOT_SAVED in failed.text


def _agenda_row(client, round_, item):
    row = f"/rounds/{round_.pk}/edit/agenda/{item.pk}/"
    return row, posted(client.get(row), "agenda")


def test_a_row_page_adds_no_row_posted_beside_its_own(officer_client):  # noqa: F811
    round_ = RoundFactory()
    item = AgendaItemFactory(round=round_, title="Mine")
    row, data = _agenda_row(officer_client, round_, item)
    data.update(
        {
            "agenda-TOTAL_FORMS": "2",
            "agenda-1-order": "2",
            "agenda-1-title": "Smuggled",
            "agenda-1-segment": data["agenda-0-segment"],
            "agenda-1-agenda_status": data["agenda-0-agenda_status"],
            "agenda-1-security_marking": "unclassified",
        }
    )
    response = officer_client.post(row, data)
    assert response.status_code == 400
    assert NOT_SAVED in response.text
    assert ONE_ROW in response.text
    assert list(AgendaItem.objects.values_list("title", flat=True)) == ["Mine"]


@pytest.mark.parametrize("opened", ["same", "missing", "hidden"])
def test_a_row_page_posted_without_its_row_adds_nothing(officer_client, opened):  # noqa: F811
    """A row's address posted as a new row (INITIAL_FORMS 0): it added a row and said "Saved",
    even at the address of a row that does not exist or that the user may not see."""
    round_ = RoundFactory()
    item = AgendaItemFactory(round=round_, title="Mine")
    secret = AgendaItemFactory(round=round_, title="CANARY", security_marking=PB)
    _row, data = _agenda_row(officer_client, round_, item)
    data.update({"agenda-INITIAL_FORMS": "0", "agenda-0-title": "Smuggled"})
    del data["agenda-0-id"]
    target = {"same": item.pk, "missing": 987654, "hidden": secret.pk}[opened]
    response = officer_client.post(f"/rounds/{round_.pk}/edit/agenda/{target}/", data)
    assert response.status_code == 400
    assert ONE_ROW in response.text
    assert "CANARY" not in response.text
    assert sorted(AgendaItem.objects.values_list("title", flat=True)) == ["CANARY", "Mine"]


def test_a_row_page_posted_with_no_row_does_not_say_saved(officer_client):  # noqa: F811
    round_ = RoundFactory()
    item = AgendaItemFactory(round=round_, title="Mine")
    row, data = _agenda_row(officer_client, round_, item)
    data.update({"agenda-TOTAL_FORMS": "0", "agenda-INITIAL_FORMS": "0"})
    response = officer_client.post(row, data)
    assert response.status_code == 400
    assert ONE_ROW in response.text
    assert AgendaItem.objects.get().title == "Mine"


def test_a_row_that_hidden_records_depend_on_is_not_removed(officer_client):  # noqa: F811
    """Removing a visible agenda item set the agenda item of a commitment the officer may not
    see to nothing: a write to a hidden record, which the API and the admin refuse."""
    round_ = RoundFactory()
    item = AgendaItemFactory(round=round_, title="Shown item")
    hidden = CommitmentFactory(
        round=round_, agenda_item=item, text="CANARY undertaking", security_marking=PB
    )
    row, data = _agenda_row(officer_client, round_, item)
    response = officer_client.post(row, {**data, "agenda-0-DELETE": "on"})
    assert response.status_code == 400
    assert "Records you cannot see depend on this one" in response.text
    assert "CANARY" not in response.text
    hidden.refresh_from_db()
    assert hidden.agenda_item_id == item.pk
    # The section's own endpoint, posting the row as a script may, is refused alike.
    section = officer_client.post(
        f"/rounds/{round_.pk}/edit/agenda/", {**data, "agenda-0-DELETE": "on"}
    )
    assert section.status_code == 400
    assert AgendaItem.objects.filter(pk=item.pk).exists()
    # Once the commitment is one the officer may see, the item goes, the commitment stays.
    Commitment.objects.filter(pk=hidden.pk).update(security_marking="unclassified")
    row, data = _agenda_row(officer_client, round_, item)
    assert officer_client.post(row, {**data, "agenda-0-DELETE": "on"}).status_code == 302
    assert not AgendaItem.objects.exists()
    hidden.refresh_from_db()
    assert hidden.agenda_item_id is None


# -- what held -----------------------------------------------------------------------------------


def test_another_row_of_the_same_round_posted_to_a_row_address_is_refused(
    officer_client,  # noqa: F811
):
    round_ = RoundFactory()
    mine = AgendaItemFactory(round=round_, title="Mine")
    other = AgendaItemFactory(round=round_, title="Other")
    row, data = _agenda_row(officer_client, round_, mine)
    data.update({"agenda-0-id": str(other.pk), "agenda-0-title": "Overwritten"})
    response = officer_client.post(row, data)
    assert response.status_code == 400
    assert GONE in response.text
    assert sorted(AgendaItem.objects.values_list("title", flat=True)) == ["Mine", "Other"]


def test_a_row_removed_on_its_own_page_goes_alone(officer_client):  # noqa: F811
    round_ = RoundFactory()
    mine = AgendaItemFactory(round=round_, title="Mine")
    AgendaItemFactory(round=round_, title="Other")
    row, data = _agenda_row(officer_client, round_, mine)
    response = officer_client.post(row, {**data, "agenda-0-DELETE": "on"})
    assert response.status_code == 302
    assert list(AgendaItem.objects.values_list("title", flat=True)) == ["Other"]


def test_odd_row_addresses_and_methods_are_not_server_errors(officer_client):  # noqa: F811
    round_ = RoundFactory()
    item = AgendaItemFactory(round=round_, title="Mine")
    for section in ("agenda", "materials", "visits", "commitments"):
        for row in ("99999999999999999999999", "0", "2147483648"):
            url = f"/rounds/{round_.pk}/edit/{section}/{row}/"
            assert officer_client.get(url).status_code == 404
            assert officer_client.head(url).status_code == 404
            assert officer_client.post(url, {}).status_code == 400
    assert officer_client.get(f"/rounds/{round_.pk}/edit/agenda/abc/").status_code == 404
    assert officer_client.get(f"/rounds/{round_.pk}/edit/agenda/-1/").status_code == 404
    assert (
        officer_client.get(f"/rounds/99999999999999999999/edit/agenda/{item.pk}/").status_code
        == 404
    )
    row = f"/rounds/{round_.pk}/edit/agenda/{item.pk}/"
    assert officer_client.head(row).status_code == 200
    assert officer_client.put(row, "x").status_code in (200, 405)  # nothing saved either way
    assert AgendaItem.objects.get().title == "Mine"


def test_other_roles_and_lower_clearances_are_kept_out(make_user):
    round_ = RoundFactory(security_marking=SecurityMarking.PROTECTED_A)
    item = AgendaItemFactory(
        round=round_, title="Mine", security_marking=SecurityMarking.PROTECTED_A
    )
    row = f"/rounds/{round_.pk}/edit/agenda/{item.pk}/"
    for username, role, clearance, status in (
        ("case", "case_officer", "protected_b", 403),
        ("plan", "planner", "protected_b", 403),
        ("ana", "analyst", "protected_b", 403),
        ("low", "officer", "unclassified", 404),
    ):
        client = Client()
        client.force_login(make_user(username, role, clearance=clearance))
        assert client.get(row).status_code == status, username
        assert client.post(row, {"agenda-TOTAL_FORMS": "1"}).status_code == status, username
    assert AgendaItem.objects.get().title == "Mine"


def test_the_list_of_rows_escapes_what_was_recorded(officer_client):  # noqa: F811
    xss = "<script>alert(1)</script>"
    dialogue = DialogueFactory(name=xss)
    round_ = RoundFactory(dialogue=dialogue)
    item = AgendaItemFactory(round=round_, title=xss, topics=[TopicFactory(name=xss)])
    CommitmentFactory(round=round_, agenda_item=item, text=xss, undertaken_by=xss)
    MaterialFactory(round=round_, title=xss)
    SiteVisitFactory(round=round_, city=xss, purpose=xss)
    for prefix in ("", "/fr"):
        page = officer_client.get(f"{prefix}/rounds/{round_.pk}/edit/")
        assert page.status_code == 200
        assert "<script>alert" not in page.text
        assert page.text.count("&lt;script&gt;alert(1)") >= 8


def test_a_stale_material_save_on_its_row_page_is_refused(officer_client):  # noqa: F811
    round_ = RoundFactory()
    material = MaterialFactory(round=round_, title="Paper")
    row = f"/rounds/{round_.pk}/edit/materials/{material.pk}/"
    opened = officer_client.get(row)
    Material.objects.get(pk=material.pk).save()
    stale = officer_client.post(row, posted(opened, "materials", **{"materials-0-title": "Mine"}))
    assert stale.status_code == 400
    assert "Someone else saved this record" in stale.text
    assert Material.objects.get().title == "Paper"


def test_a_commitment_row_offers_only_visible_agenda_items(officer_client):  # noqa: F811
    round_ = RoundFactory()
    AgendaItemFactory(round=round_, title="CANARY hidden", security_marking=PB)
    AgendaItemFactory(round=round_, title="Shown item")
    promise = CommitmentFactory(round=round_, text="Promise")
    opened = officer_client.get(f"/rounds/{round_.pk}/edit/commitments/{promise.pk}/")
    assert "Shown item" in opened.text
    assert "CANARY" not in opened.text
    assert Commitment.objects.count() == 1
