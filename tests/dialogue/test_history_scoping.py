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


def test_a_history_names_links_and_never_shows_a_hidden_ones_name(reader):
    """A project's links (its topics, its rounds) read by name in its history, a round above the
    reader's clearance as the placeholder, and the record's own number is no "change"."""
    from tests.followup.factories import FollowUpProjectFactory
    from tests.rounds.factories import TopicFactory

    project = FollowUpProjectFactory(title="Legal aid", security_marking=U)
    project.topics.set([TopicFactory(name="Legal aid for the poor")])
    project.originating_rounds.set(
        [RoundFactory(cities="Visible-town"), RoundFactory(cities="Hush-town", security_marking=PB)]
    )
    page = reader.get(reverse("record_history", args=["followup", "followupproject", project.pk]))
    text = page.text
    assert "<strong>topics</strong>: — → Legal aid for the poor" in text
    assert "restricted record" in text
    assert "Hush-town" not in text
    assert "<strong>ID</strong>" not in text


def test_recent_changes_name_each_record_as_the_reader_may_see_it_now(reader, downgraded):
    hidden_now = RoundFactory(cities="Alpha-ville")
    hidden_now.security_marking, hidden_now.cities = PB, "Omega-ville"
    hidden_now.save()
    page = reader.get(reverse("recent_changes")).text
    assert f">{downgraded}</a>" in page  # by its name, linked to its history
    # Its first version was visible, the record no longer is: the placeholder, unlinked.
    assert "restricted record" in page
    assert reverse("record_history", args=["rounds", "round", hidden_now.pk]) not in page
    assert "Omega-ville" not in page and str(hidden_now) not in page


def test_recent_changes_take_the_same_queries_whatever_they_list(reader):
    """Names that read other records (a member's person, a visit's round and dialogue) are read
    with their records, not one query each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.rounds.factories import SiteVisitFactory
    from tests.stakeholders.factories import DelegationMemberFactory

    RoundFactory()
    SiteVisitFactory()
    DelegationMemberFactory()
    reader.get(reverse("recent_changes"))  # the session's first request saves it
    with CaptureQueriesContext(connection) as few:
        reader.get(reverse("recent_changes"))
    for _ in range(5):
        RoundFactory(cities="Somewhere")
        SiteVisitFactory()
        DelegationMemberFactory()
    with CaptureQueriesContext(connection) as many:
        page = reader.get(reverse("recent_changes")).text
    assert len(many.captured_queries) == len(few.captured_queries)
    assert page.count("<tr>") >= 16  # header and the rows: each kind is listed
