"""A section of the recording page saves only the rows it showed: a row id the page posts that is
not one of the section's rows (another round's, one removed meanwhile, one since marked above
the user's clearance) refuses the whole save with a message that names no hidden record, and
keeps what the user typed; it is never dropped while the page says "Saved"."""

import pytest

from rounds.models import AgendaItem, Commitment
from tests.rounds.factories import AgendaItemFactory, CommitmentFactory, RoundFactory
from tests.rounds.test_recording import officer, officer_client, posted  # noqa: F401

pytestmark = pytest.mark.django_db

GONE = "This record was removed, or is no longer one you may see"


def test_another_rounds_agenda_item_posted_as_a_row_is_refused_not_dropped(
    officer_client,  # noqa: F811
):
    round_, other = RoundFactory(), RoundFactory()
    AgendaItemFactory(round=round_, title="Mine")
    theirs = AgendaItemFactory(round=other, title="Theirs")
    page = officer_client.get(f"/rounds/{round_.pk}/edit/")
    data = posted(
        page,
        "agenda",
        **{"agenda-0-id": theirs.pk, "agenda-0-title": "Typed here", "agenda-1-title": "New"},
    )
    response = officer_client.post(f"/rounds/{round_.pk}/edit/agenda/", data)
    assert response.status_code == 400
    assert GONE in response.text
    assert 'value="Typed here"' in response.text
    assert sorted(AgendaItem.objects.values_list("round_id", "title")) == sorted(
        [(round_.pk, "Mine"), (other.pk, "Theirs")]
    )


def test_a_row_marked_above_the_users_clearance_meanwhile_is_refused_without_naming_it(
    officer_client,  # noqa: F811
):
    round_ = RoundFactory()
    promise = CommitmentFactory(round=round_, text="Release the lawyers")
    CommitmentFactory(round=round_, text="Visit Tibet")
    row = f"/rounds/{round_.pk}/edit/commitments/{promise.pk}/"
    data = posted(
        officer_client.get(row), "commitments", **{"commitments-0-text": "Release the lawyers soon"}
    )
    Commitment.objects.filter(pk=promise.pk).update(
        security_marking="protected_b", text="CANARY raised meanwhile"
    )
    response = officer_client.post(row, data)
    assert response.status_code == 400
    assert GONE in response.text
    assert "CANARY" not in response.text
    assert "Release the lawyers soon" in response.text
    assert set(Commitment.objects.values_list("text", flat=True)) == {
        "CANARY raised meanwhile",
        "Visit Tibet",
    }


def test_a_row_removed_meanwhile_says_so(officer_client):  # noqa: F811
    round_ = RoundFactory()
    item = AgendaItemFactory(round=round_, title="Mine")
    row = f"/rounds/{round_.pk}/edit/agenda/{item.pk}/"
    data = posted(officer_client.get(row), "agenda", **{"agenda-0-title": "Mine, reworded"})
    item.delete()
    response = officer_client.post(row, data)
    assert response.status_code == 400
    assert GONE in response.text
    assert not AgendaItem.objects.exists()


def test_a_post_claiming_thousands_of_rows_is_refused_before_they_are_built(
    officer_client,  # noqa: F811
):
    """Django builds as many forms as a post claims, up to 2,000 by default; a section takes at
    most MAX_ROWS, and says so, keeping what was typed."""
    from core.forms import MAX_ROWS

    round_ = RoundFactory()
    page = officer_client.get(f"/rounds/{round_.pk}/edit/")
    data = posted(page, "agenda", **{"agenda-TOTAL_FORMS": 2000, "agenda-0-title": "Typed here"})
    response = officer_client.post(f"/rounds/{round_.pk}/edit/agenda/", data)
    assert response.status_code == 400
    assert f"Please submit at most {MAX_ROWS} forms." in response.text
    assert 'value="Typed here"' in response.text
    assert response.context["form"].total_form_count() == MAX_ROWS
    assert not AgendaItem.objects.exists()
