"""The shared page cache: who is served a stored page, what is filled in for each reader, and
what makes a stored page stand no longer (core/pagecache.py)."""

import contextlib
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from core import pagecache
from core.models import AccessLogEntry, SecurityMarking
from rounds.models import Round
from tests.followup.factories import FollowUpActionFactory
from tests.rounds.factories import CaseOfConcernFactory, RoundFactory, TopicFactory

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.postgres_only  # the page cache runs on PostgreSQL only
U, PA, PB = SecurityMarking.values
ROUNDS = "/rounds/"
NONCE = re.compile(r'<meta name="csp-nonce" content="([^"]+)">')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def same_page(one, other) -> bool:
    """The same page, but for what belongs to each request: its nonce and CSRF tokens."""

    def shared(response):
        text = response.content.decode()
        for pattern in (NONCE, TOKEN):
            for value in pattern.findall(text):
                text = text.replace(value, "")
        return text

    return shared(one) == shared(other)


def state(response) -> str | None:
    return getattr(response, "page_cache", None)


def reader(make_user, username, role="analyst", **extra):
    client = Client()
    client.force_login(make_user(username, role, **extra))
    return client


@pytest.fixture
def rounds_page():
    RoundFactory(cities="Lhasa")
    RoundFactory(cities="Urumqi", security_marking=PB)


@postgresql_only
def test_the_second_reading_is_served_from_the_cache_with_fewer_queries(
    make_user, rounds_page, django_assert_num_queries
):
    client = reader(make_user, "ana", clearance=PB)
    first = client.get(ROUNDS)
    assert state(first) == "stored"
    # the session, the user, the versions, and the access log of the Protected B round shown
    with django_assert_num_queries(4):
        second = client.get(ROUNDS)
    assert state(second) == "hit"
    assert b"Urumqi" in second.content and b"Lhasa" in second.content


@postgresql_only
def test_a_reader_with_the_same_access_is_served_it_with_their_own_name_nonce_and_token(
    make_user, rounds_page
):
    reader(make_user, "first-reader", clearance=PB).get(ROUNDS)
    bea = Client(enforce_csrf_checks=True)
    bea.force_login(make_user("bea", "analyst", clearance=PB))
    page = bea.get(ROUNDS)
    assert state(page) == "hit"
    text = page.content.decode()
    assert "Signed in as bea" in text and "first-reader" not in text
    assert "\x00" not in text
    nonce = NONCE.search(text).group(1)
    assert f"'nonce-{nonce}'" in page["Content-Security-Policy"]
    assert text.count(f'nonce="{nonce}"') >= 2  # the module scripts
    # The sign-out form's token is bea's own: Django accepts it.
    token = TOKEN.search(text).group(1)
    signed_out = bea.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert signed_out.status_code == 302


@postgresql_only
def test_a_reader_without_the_permission_is_refused_though_the_page_is_stored(make_user):
    round_ = RoundFactory()
    url = reverse("rounds:round_detail", args=[round_.pk])
    assert state(reader(make_user, "ana").get(url)) == "stored"
    outsider = Client()
    outsider.force_login(make_user("eve"))  # signed in, but given no role
    refused = outsider.get(url)
    assert refused.status_code == 403 and state(refused) is None  # checked, refused, not stored
    assert outsider.get(ROUNDS).status_code == 403  # a list page too


@postgresql_only
def test_readers_with_other_access_or_language_are_not_served_it(make_user, rounds_page):
    reader(make_user, "ana", clearance=PB).get(ROUNDS)
    lower = reader(make_user, "bea", clearance=PA).get(ROUNDS)
    assert state(lower) == "stored"
    assert b"Urumqi" not in lower.content and b"Lhasa" in lower.content
    planner = reader(make_user, "cat", "planner", clearance=PB).get(ROUNDS)
    assert state(planner) == "stored"  # another role: other permissions, other links
    french = reader(make_user, "dan", clearance=PB).get("/fr" + ROUNDS)
    assert state(french) == "stored"
    assert 'lang="fr"' in french.content.decode()


@postgresql_only
def test_a_reader_whose_roles_change_is_not_served_pages_stored_for_the_old_ones(
    make_user, rounds_page
):
    user = make_user("ana", "analyst", clearance=PB)
    client = Client()
    client.force_login(user)
    assert b"New action" not in client.get(reverse("followup:action_list")).content
    user.groups.add(Group.objects.get(name="Follow-up planners"))
    again = client.get(reverse("followup:action_list"))
    assert state(again) == "stored"
    assert b"New action" in again.content


@postgresql_only
@pytest.mark.parametrize(
    "write",
    [
        lambda: Round.objects.filter(cities="Lhasa").first().save(),
        lambda: Round.objects.filter(cities="Lhasa").update(cities="Kashgar"),
        lambda: connection.cursor().execute(
            "UPDATE rounds_round SET cities = 'Kashgar' WHERE cities = 'Lhasa'"
        ),
        lambda: Round.objects.filter(cities="Lhasa").delete(),
    ],
    ids=["save", "queryset update", "raw SQL", "delete"],
)
def test_any_write_to_a_table_the_page_read_means_it_is_built_again(make_user, rounds_page, write):
    client = reader(make_user, "ana", clearance=PB)
    client.get(ROUNDS)
    write()
    again = client.get(ROUNDS)
    assert state(again) == "stored"
    assert (b"Lhasa" in again.content) == Round.objects.filter(cities="Lhasa").exists()


@postgresql_only
def test_a_page_whose_rows_were_not_written_is_checked_not_built_again(
    make_user, django_assert_max_num_queries
):
    shown, other = RoundFactory(cities="Lhasa"), RoundFactory(cities="Urumqi")
    client = reader(make_user, "ana")
    url = reverse("rounds:round_detail", args=[shown.pk])
    first = client.get(url)
    assert state(first) == "stored"
    other.cities = "Kashgar"
    other.save()  # the same table, another row
    with django_assert_max_num_queries(8):
        again = client.get(url)
    assert state(again) == "revalidated"
    assert same_page(again, first)
    assert state(client.get(url)) == "hit"  # checked against the new versions
    shown.cities = "Kashgar"
    shown.save()  # its own row: the check fails and the page is built again
    changed = client.get(url)
    assert state(changed) == "stored" and b"Kashgar" in changed.content


@postgresql_only
def test_a_digest_postgresql_refuses_means_the_page_is_built(make_user):
    shown, other = RoundFactory(), RoundFactory()
    client = reader(make_user, "ana")
    url = reverse("rounds:round_detail", args=[shown.pk])
    client.get(url)
    cache = caches[settings.PAGE_CACHE_ALIAS]
    (key,) = [key for key in cache._cache if "page:" in key]
    entry = cache.get(key.split(":", 2)[2])
    entry["check"] = ("SELECT no_such_function()", [], entry["check"][2])
    cache.set(key.split(":", 2)[2], entry)
    other.save()
    rebuilt = client.get(url)
    assert rebuilt.status_code == 200 and state(rebuilt) == "stored"


@postgresql_only
def test_a_write_to_a_table_the_page_did_not_read_leaves_it_standing(make_user, rounds_page):
    client = reader(make_user, "ana", clearance=PB)
    client.get(ROUNDS)
    CaseOfConcernFactory()
    assert state(client.get(ROUNDS)) == "hit"


@postgresql_only
def test_every_reading_of_a_protected_b_page_is_logged_even_from_the_cache(make_user):
    case = CaseOfConcernFactory(security_marking=PB)
    client = reader(make_user, "ana", "case_officer", clearance=PB)
    url = reverse("rounds:case_detail", args=[case.pk])
    assert [state(client.get(url)) for _ in range(2)] == ["stored", "hit"]
    entries = AccessLogEntry.objects.filter(object_id=str(case.pk))
    assert entries.count() == 2
    assert {entry.object_repr for entry in entries} == {str(case)}


@postgresql_only
def test_a_page_that_names_the_reader_is_kept_for_that_reader_alone(make_user):
    ana, bea = make_user("ana", "planner"), make_user("bea", "planner")
    FollowUpActionFactory(title="Ana's action", assignee=ana)
    url = reverse("followup:action_list") + "?mine=true"
    ana_client, bea_client = Client(), Client()
    ana_client.force_login(ana)
    bea_client.force_login(bea)
    assert b"Ana&#x27;s action" in ana_client.get(url).content
    theirs = bea_client.get(url)
    assert state(theirs) == "stored"
    assert b"Ana&#x27;s action" not in theirs.content
    assert state(ana_client.get(url)) == "hit"


@postgresql_only
def test_waiting_messages_are_shown_once_and_never_stored(make_user, rounds_page):
    client = reader(make_user, "ana")
    client.get(ROUNDS)  # stored, without a message
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies[storage.cookie_name] = storage._encode(
        [Message(constants.SUCCESS, "Saved the round.")]
    )
    shown = client.get(ROUNDS)
    assert b"Saved the round." in shown.content and state(shown) is None
    after = client.get(ROUNDS)
    assert b"Saved the round." not in after.content and state(after) == "hit"


@postgresql_only
def test_htmx_requests_are_built_afresh(make_user, rounds_page):
    client = reader(make_user, "ana")
    client.get(ROUNDS)
    partial = client.get(ROUNDS, headers={"HX-Request": "true", "HX-Target": "results"})
    assert state(partial) is None


@postgresql_only
def test_every_table_but_the_unversioned_has_a_version_and_its_triggers():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, array_agg(t.tgname ORDER BY t.tgname) FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE 'dialogue_data_%%' "
            "GROUP BY c.relname"
        )
        triggers = dict(cursor.fetchall())
    tables = set(connection.introspection.table_names()) - pagecache.UNVERSIONED
    assert tables <= set(pagecache.versions())
    expected = ["dialogue_data_truncated", "dialogue_data_version", "dialogue_data_written"]
    assert {table: triggers.get(table) for table in tables} == dict.fromkeys(tables, expected)
    assert not set(triggers) & pagecache.UNVERSIONED


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_versions_are_raised_once_a_transaction_when_it_commits():
    before = pagecache.versions()
    with transaction.atomic():
        RoundFactory.create_batch(3)
        TopicFactory()
        assert pagecache.versions() == before  # not until the commit
    after = pagecache.versions()
    raised = {table for table in after if after[table] != before[table]}
    assert {"rounds_round", "rounds_topic", "rounds_dialogue"} <= raised
    assert after["rounds_round"] == before["rounds_round"] + 1
    with transaction.atomic(), contextlib.suppress(RuntimeError), transaction.atomic():
        TopicFactory()
        raise RuntimeError("rolled back to the savepoint")
    assert pagecache.versions()["rounds_topic"] == after["rounds_topic"]


def test_pages_are_built_afresh_where_versions_are_not_kept_or_the_cache_is_off(
    make_user, rounds_page, settings
):
    assert pagecache.enabled() == (connection.vendor == "postgresql")
    settings.PAGE_CACHE = False
    client = reader(make_user, "ana", clearance=PB)
    assert [state(client.get(ROUNDS)) for _ in range(2)] == [None, None]
