"""History shows a version only to a reader who could have seen it at that version's own
marking, in the product's history page and the admin's, and no diff reveals a hidden one."""

import pytest
from django.urls import reverse

from core.models import SecurityMarking
from tests.rounds.factories import RoundFactory

pytestmark = pytest.mark.django_db

PB, PA, U = (
    SecurityMarking.PROTECTED_B,
    SecurityMarking.PROTECTED_A,
    SecurityMarking.UNCLASSIFIED,
)


@pytest.fixture
def downgraded():
    """A round held in Alpha-town, then Protected B in Secret-town, then downgraded."""
    round_ = RoundFactory(cities="Alpha-town")
    for marking, cities in ((PB, "Secret-town"), (U, "Gamma-town")):
        round_.security_marking, round_.cities = marking, cities
        round_.save()
    return round_


@pytest.fixture
def reader(client, make_user):
    client.force_login(make_user("ada", "administrator", clearance=PA, is_staff=True))
    return client


def test_the_history_page_leaves_out_a_version_above_the_readers_clearance(reader, downgraded):
    page = reader.get(reverse("record_history", args=["rounds", "round", downgraded.pk])).text
    assert "Secret-town" not in page
    assert "Alpha-town → Gamma-town" in page  # the diff skips the hidden version


def test_the_admin_history_leaves_it_out_too(reader, downgraded):
    page = reader.get(reverse("admin:rounds_round_history", args=[downgraded.pk])).text
    assert "Gamma-town" in page
    assert "Secret-town" not in page


def test_the_admin_refuses_to_show_a_hidden_version(reader, downgraded):
    hidden = downgraded.history.get(security_marking=PB)
    shown = downgraded.history.filter(security_marking=U).earliest()
    url = "admin:rounds_round_simple_history"
    assert reader.get(reverse(url, args=[downgraded.pk, hidden.history_id])).status_code == 404
    assert reader.get(reverse(url, args=[downgraded.pk, shown.history_id])).status_code == 200


def test_a_reader_cleared_for_it_sees_every_version(client, make_user, downgraded):
    client.force_login(make_user("bea", "administrator", clearance=PB, is_staff=True))
    page = client.get(reverse("record_history", args=["rounds", "round", downgraded.pk])).text
    assert "Alpha-town → Secret-town" in page and "Secret-town → Gamma-town" in page


def test_recent_changes_list_only_the_versions_the_reader_could_see(reader, downgraded):
    page = reader.get(reverse("recent_changes")).text
    link = reverse("record_history", args=["rounds", "round", downgraded.pk])
    assert page.count(f'href="{link}"') == 2  # created, downgraded; not the Protected B one
