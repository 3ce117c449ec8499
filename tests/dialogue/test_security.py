"""Sign-in hardening, headers, the audit trail, the access log, lost edits and error pages."""

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from core.middleware import REFRESHED_AT, SIGNED_IN_AT
from core.models import AccessLogEntry
from demo.reference import reference_data_load
from rounds.models import Round, Topic
from tests.rounds.factories import (
    CaseOfConcernFactory,
    DialogueFactory,
    RoundFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "a long test password 1"


class TestSignIn:
    def test_five_failures_lock_the_account_from_that_address(self, client, make_user):
        make_user("dana", "analyst")
        for _ in range(5):
            response = client.post(
                "/accounts/login/", {"username": "dana", "password": "wrong password!!"}
            )
        assert response.status_code == 429
        assert "Too many failed sign-in attempts" in response.text
        # Even the right password is refused while locked.
        response = client.post("/accounts/login/", {"username": "dana", "password": PASSWORD})
        assert response.status_code == 429

    def test_four_failures_do_not_lock(self, client, make_user):
        make_user("dana", "analyst")
        for _ in range(4):
            client.post("/accounts/login/", {"username": "dana", "password": "wrong password!!"})
        response = client.post("/accounts/login/", {"username": "dana", "password": PASSWORD})
        assert response.status_code == 302

    def test_passwords_need_twelve_characters(self):
        with pytest.raises(ValidationError, match="at least 12 characters"):
            validate_password("Short1!xyz")
        validate_password("a sufficiently long passphrase")

    def test_a_session_ends_after_thirty_idle_minutes(self, settings, analyst_client):
        from django.contrib.sessions.models import Session

        assert settings.SESSION_COOKIE_AGE == 30 * 60
        analyst_client.get("/")
        key = analyst_client.session.session_key
        first = Session.objects.get(session_key=key).expire_date
        analyst_client.get("/")  # within the minute: the session is not written again
        assert Session.objects.get(session_key=key).expire_date == first
        session = analyst_client.session
        session[REFRESHED_AT] = time.time() - 61
        session.save()
        before = Session.objects.get(session_key=key).expire_date
        analyst_client.get("/")  # a minute on, a request restarts the idle clock
        assert Session.objects.get(session_key=key).expire_date > before

    def test_a_session_ends_twelve_hours_after_sign_in(self, analyst_client):
        assert analyst_client.get("/").status_code == 200
        session = analyst_client.session
        session[SIGNED_IN_AT] = time.time() - 12 * 3600 - 1
        session.save()
        response = analyst_client.get("/")
        assert response.status_code == 302
        assert analyst_client.get("/").status_code == 302  # signed out for good


class TestHeaders:
    def test_every_script_carries_the_nonce_the_policy_names(self, analyst_client):
        response = analyst_client.get("/")
        policy = response["Content-Security-Policy"]
        nonce = policy.split("'nonce-")[1].split("'")[0]
        assert "default-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        scripts = response.text.count("<script")
        assert scripts
        assert response.text.count(f'nonce="{nonce}"') >= scripts

    def test_framing_referrer_and_caching(self, analyst_client):
        response = analyst_client.get("/rounds/")
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert "no-store" in response["Cache-Control"]

    def test_hsts_on_secure_requests(self, analyst_client):
        response = analyst_client.get("/", secure=True)
        assert response["Strict-Transport-Security"].startswith("max-age=31536000")

    def test_cookies_are_http_only(self, settings):
        assert settings.SESSION_COOKIE_HTTPONLY
        assert settings.CSRF_COOKIE_HTTPONLY


class TestAuditTrail:
    def test_the_admin_records_who_changed_which_fields(self, admin_client, administrator):
        topic = TopicFactory(name="Religion", slug="religion")
        response = admin_client.post(
            reverse("admin:rounds_topic_change", args=[topic.pk]),
            {"name": "Freedom of religion", "slug": "religion", "category": "religion"},
        )
        assert response.status_code == 302
        latest = topic.history.latest()
        assert latest.history_user == administrator
        page = admin_client.get(reverse("record_history", args=["rounds", "topic", topic.pk]))
        assert "Religion → Freedom of religion" in page.text

    def test_deleting_through_the_admin_and_its_bulk_action_is_recorded(
        self, admin_client, administrator
    ):
        one, two, three = TopicFactory(), TopicFactory(), TopicFactory()
        admin_client.post(reverse("admin:rounds_topic_delete", args=[one.pk]), {"post": "yes"})
        admin_client.post(
            reverse("admin:rounds_topic_changelist"),
            {"action": "delete_selected", "_selected_action": [two.pk, three.pk], "post": "yes"},
        )
        assert not Topic.objects.exists()
        deleted = Topic.history.filter(history_type="-")
        assert deleted.count() == 3
        assert set(deleted.values_list("history_user", flat=True)) == {administrator.pk}

    def test_a_change_of_clearance_is_recorded(self, admin_client, administrator, make_user):
        reader = make_user("reader", "analyst")
        response = admin_client.post(
            reverse("admin:dialogue_user_change", args=[reader.pk]),
            {
                "username": "reader",
                "clearance": "protected_b",
                "language": "en",
                "is_active": "on",
                "date_joined_0": "2026-01-01",
                "date_joined_1": "00:00:00",
                "groups": [reader.groups.get().pk],
            },
        )
        assert response.status_code == 302, response.text[:2000]
        latest = reader.history.latest()
        assert (latest.clearance, latest.history_user) == ("protected_b", administrator)
        assert not hasattr(latest, "password")

    def test_the_loader_writes_history(self):
        reference_data_load()
        assert Round.history.count() == Round.objects.count()

    def test_history_cannot_be_reverted_through_the_admin(self, admin_client, settings):
        assert settings.SIMPLE_HISTORY_REVERT_DISABLED
        topic = TopicFactory(name="Original")
        topic.name = "Changed"
        topic.save()
        first = topic.history.earliest()
        url = reverse("admin:rounds_topic_simple_history", args=[topic.pk, first.history_id])
        response = admin_client.post(
            url, {"name": "Original", "slug": topic.slug, "category": "other"}
        )
        assert response.status_code == 403
        topic.refresh_from_db()
        assert topic.name == "Changed"

    def test_recent_changes_are_for_administrators(self, admin_client, analyst):
        TopicFactory(name="Freshly made")
        reader = Client()
        reader.force_login(analyst)
        assert reader.get("/history/recent/").status_code == 403
        response = admin_client.get("/history/recent/")
        assert response.status_code == 200
        assert "Freshly made" in response.text  # each record by its name


class TestAccessLog:
    def test_opening_a_protected_b_record_is_logged(self, analyst_client, analyst):
        secret = RoundFactory(security_marking="protected_b")
        open_round = RoundFactory()
        analyst_client.get(secret.get_absolute_url())
        analyst_client.get(open_round.get_absolute_url())
        entry = AccessLogEntry.objects.get()
        assert (entry.user, entry.object_id) == (analyst, str(secret.pk))

    def test_the_log_is_append_only(self, analyst_client):
        analyst_client.get(RoundFactory(security_marking="protected_b").get_absolute_url())
        entry = AccessLogEntry.objects.get()
        with pytest.raises(PermissionError):
            entry.save()
        with pytest.raises(PermissionError):
            entry.delete()
        with pytest.raises(PermissionError):
            AccessLogEntry.objects.all().delete()
        with pytest.raises(PermissionError):
            AccessLogEntry.objects.update(username="someone else")

    def test_it_names_a_case_of_concern_only_to_case_officers(self, client, make_user):
        case = CaseOfConcernFactory(name="Wang Canary")
        officer = make_user("cora", "case_officer", clearance="protected_b")
        client.force_login(officer)
        assert client.get(case.get_absolute_url()).status_code == 200
        auditor = make_user("root2", "administrator", clearance="protected_b", is_staff=True)
        client.force_login(auditor)
        for url in (
            "/audit/access/",
            reverse("admin:dialogue_accesslogentry_changelist"),
            reverse("admin:dialogue_accesslogentry_changelist") + "?q=Canary",
            reverse("admin:dialogue_accesslogentry_change", args=[AccessLogEntry.objects.get().pk]),
        ):
            response = client.get(url, follow=True)
            assert response.status_code in (200, 404), url
            assert "Wang Canary" not in response.text, url
            assert case.get_absolute_url() not in response.text, url
        client.force_login(
            make_user("cleo", ("administrator", "case_officer"), clearance="protected_b")
        )
        assert "Wang Canary" in client.get("/audit/access/").text

    def test_only_cleared_administrators_read_it(self, client, make_user, admin_client):
        uncleared = make_user("root2", "administrator", clearance="protected_a")
        assert admin_client.get("/audit/access/").status_code == 200
        client.force_login(uncleared)
        assert client.get("/audit/access/").status_code == 403


class TestNoLostEdits:
    def round_form(self, round_, **changes):
        data = {
            "dialogue": round_.dialogue_id,
            "number": round_.number,
            "status": round_.status,
            "start_date": round_.start_date.isoformat(),
            "date_precision": round_.date_precision,
            "cities": round_.cities,
            "host_country": "CA",
            "security_marking": round_.security_marking,
            "expected_version": round_.version,
        }
        for prefix in ("agenda_items", "commitments", "site_visits", "delegations", "materials"):
            data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
        return data | changes

    def test_a_save_from_a_stale_version_is_refused_with_what_changed(
        self, client, make_user, admin_client
    ):
        round_ = RoundFactory(dialogue=DialogueFactory(), cities="Ottawa", number=9)
        url = reverse("admin:rounds_round_change", args=[round_.pk])
        other = make_user("alex", "administrator", is_staff=True, is_superuser=True)
        client.force_login(other)
        form_seen_by_both = self.round_form(round_)

        first = admin_client.post(url, form_seen_by_both | {"cities": "Ottawa, Montreal"})
        assert first.status_code == 302
        second = client.post(url, form_seen_by_both | {"cities": "Ottawa, Toronto"})
        assert second.status_code == 200
        assert "Someone else saved this record" in second.text
        assert "Ottawa, Montreal" in second.text  # what the other person changed
        assert 'value="Ottawa, Toronto"' in second.text  # the refused entry is kept
        round_.refresh_from_db()
        assert round_.cities == "Ottawa, Montreal"
        assert round_.version == 2
        # Having seen the other change, saving again applies the entry on the new version.
        assert 'name="expected_version" value="2"' in second.text
        third = client.post(
            url, form_seen_by_both | {"cities": "Ottawa, Toronto", "expected_version": 2}
        )
        assert third.status_code == 302
        round_.refresh_from_db()
        assert (round_.cities, round_.version) == ("Ottawa, Toronto", 3)
        assert [h.cities for h in round_.history.order_by("history_date")] == [
            "Ottawa",
            "Ottawa, Montreal",
            "Ottawa, Toronto",
        ]

    def test_the_database_guard_refuses_a_racing_save(self):
        from core.models import StaleEdit

        round_ = RoundFactory()
        stale = Round.objects.get(pk=round_.pk)
        round_.cities = "First"
        round_.save()
        stale.cities = "Second"
        with pytest.raises(StaleEdit), transaction.atomic():
            stale.save()
        assert Round.objects.get(pk=round_.pk).cities == "First"


class TestErrorPages:
    def test_a_404_is_friendly(self, analyst_client):
        response = analyst_client.get("/rounds/424242/")
        assert response.status_code == 404
        assert "We couldn't find that page" in response.text

    def test_a_403_is_friendly(self, client, outsider):
        client.force_login(outsider)
        response = client.get("/rounds/")
        assert response.status_code == 403
        assert "You don't have access to this page" in response.text

    def test_a_500_shows_no_stack_trace(self, analyst_client, monkeypatch):
        def broken(**kwargs):
            raise RuntimeError("secret internals")

        monkeypatch.setattr("dashboard.selectors.dashboard", broken)
        analyst_client.raise_request_exception = False
        response = analyst_client.get("/")
        assert response.status_code == 500
        assert "Something went wrong on our side" in response.text
        assert "secret internals" not in response.text
        assert "Traceback" not in response.text
