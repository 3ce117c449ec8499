"""A user per role, an outsider with no role, and the clients to act as them."""

import os
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core import reportcache

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Passwords are hashed with MD5 in the tests, as Django's documentation advises for test
    suites. The product's hasher (PBKDF2, 1.5 million rounds) takes half a second of CPU for
    every user a test makes or signs in, which was most of the suite's time. No test is about
    the hasher's strength: accounts are checked with check_password, whatever the hasher, and
    `make deploy-check` runs on the product's own settings."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def no_report_kept_from_another_test():
    """Each test starts with no cached report (core/reportcache.py). A report is kept under the
    versions of the tables it read; a test's rollback takes its tables back to versions an
    earlier test may have seen with other rows, which committed data never does."""
    caches["reports"].clear()


@pytest.fixture(autouse=True)
def english_first():
    """Each test starts in English: a request under /fr/ leaves French active in its thread,
    and a later test's reverse() would otherwise give French addresses."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


ROLES = {
    "officer": "Dialogue officers",
    "planner": "Follow-up planners",
    "analyst": "Analysts",
    "case_officer": "Case officers",
    "administrator": "Administrators",
}


@pytest.fixture
def make_user(django_user_model):
    def make(username, role=None, **extra):
        """A user with one role ("officer") or several (("case_officer", "administrator"))."""
        user = django_user_model.objects.create_user(
            username=username, password="a long test password 1", **extra
        )
        roles = [role] if isinstance(role, str) else list(role or ())
        user.groups.add(*Group.objects.filter(name__in=[ROLES[name] for name in roles]))
        return user

    return make


@pytest.fixture
def administrator(make_user):
    return make_user("alice", "administrator", is_staff=True, is_superuser=True)


@pytest.fixture
def outsider(make_user):
    return make_user("charlie", is_staff=True)


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def analyst(make_user):
    return make_user("bob", "analyst", clearance="protected_b")


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


@pytest.fixture
def materials_store(settings, tmp_path):
    """Materials' files kept in a temporary folder of the test's own; the folder."""
    root = tmp_path / "materials"
    settings.STORAGES = {
        **settings.STORAGES,
        "materials": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    return root


@pytest.fixture
def report_builds(monkeypatch) -> list:
    """The reports built (not served as kept), by name, with the tables each build read."""
    built = []
    original = reportcache.built

    def watched(report, build):
        with CaptureQueriesContext(connection) as queries:
            html = original(report, build)
        tables = set()
        for query in queries.captured_queries:
            tables |= set(re.findall(r'(?:FROM|JOIN)\s+"([a-z0-9_]+)"', query["sql"]))
        built.append((report.name, tables))
        return html

    monkeypatch.setattr(reportcache, "built", watched)
    return built


@pytest.fixture
def requests_after_commit(monkeypatch):
    """Each request comes after the writes before it were committed, as in use. A test's
    transaction never commits, and PostgreSQL raises the versions of the tables a transaction
    wrote when it commits (core/reportcache.py): Django's check of deferred constraints fires
    them as a commit would. `.enabled = False` lets a test read in the writing transaction."""
    original = Client.request

    class Switch:
        enabled = True

    def request(self, **kwargs):
        if Switch.enabled:
            connection.check_constraints()
        return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)
    return Switch
