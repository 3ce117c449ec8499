"""Schemathesis against the API's own OpenAPI schema, as two roles below Protected B: no answer
is a server error, every answer matches the schema, and no Protected B record shows."""

import json

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from dialogue.wsgi import application
from tests.dialogue.test_leaks import CANARY, CASE_CANARY, protected_world

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]


def api_schema():
    raw = json.loads(
        json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str)
    )
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = application
    # Random generation only: the exhaustive "coverage" phase would send every boundary case of
    # every parameter, minutes of requests for little more than the fuzzing finds.
    loaded.config.phases.update(phases=["examples", "fuzzing"])
    return loaded


schema = api_schema()
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Schemathesis calls the WSGI application directly; like Django's test client, keep the
    application from closing the test's database connection at the end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def callers(make_user):
    """A planner (may write follow-up) and an analyst (reads only), both cleared to Protected A,
    in a world where every marked record is Protected B and carries a canary."""
    protected_world()
    headers = {}
    for role in ("planner", "analyst"):
        user = make_user(f"fuzz-{role}", role, clearance="protected_a")
        headers[role] = {"Authorization": f"Token {Token.objects.create(user=user).key}"}
    return headers


@schema.parametrize()
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@override_settings(ALLOWED_HOSTS=["*"])
def test_the_api_answers_every_generated_request_within_its_schema_and_clearance(case, callers):
    for headers in callers.values():
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        assert CANARY not in response.text and CASE_CANARY not in response.text, case.path
