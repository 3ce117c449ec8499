"""/api/v1/: the pages' filters and scoping, the roles' permissions, the models' validation."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from api.urls import router
from followup.models import FollowUpAction, FollowUpProject
from tests.followup.factories import FollowUpActionFactory, FollowUpProjectFactory
from tests.rounds.factories import AgendaItemFactory, RoundFactory, TopicFactory
from tests.world import build_world

pytestmark = pytest.mark.django_db

PREFIXES = [prefix for prefix, *_rest in router.registry]


@pytest.fixture
def planner(make_user):
    return make_user("pat", "planner", clearance="protected_b")


@pytest.fixture
def planner_client(client, planner):
    client.force_login(planner)
    return client


def count(client, url) -> tuple[int, dict]:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return len(queries), response.json()


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_list_keeps_a_fixed_query_count(admin_client, prefix):
    build_world()
    small, first = count(admin_client, f"/api/v1/{prefix}/")
    for _ in range(3):
        build_world()
    large, more = count(admin_client, f"/api/v1/{prefix}/")
    assert more["count"] > first["count"] > 0
    assert small == large, f"{prefix}: {small} queries, then {large}"


def test_a_list_takes_the_pages_filters_and_pages(analyst_client):
    for year in (2001, 2002, 2003):
        RoundFactory(start_date=datetime.date(year, 5, 1))
    body = analyst_client.get("/api/v1/rounds/?year_from=2002&page_size=1").json()
    assert body["count"] == 2
    assert len(body["results"]) == 1 and body["next"]
    bad = analyst_client.get("/api/v1/rounds/?year_from=soon")
    assert bad.status_code == 400
    assert "year_from" in bad.json()


def test_the_topic_filter_takes_the_slug_the_documentation_names(analyst_client):
    """The schema documents `topic` as a slug; the topic's lookup box must not lose that,
    and a topic that does not exist is a 400 on the field, not an error."""
    legal, torture = TopicFactory(slug="legal-aid"), TopicFactory(slug="torture")
    raised = RoundFactory()
    AgendaItemFactory(round=raised, topics=[legal])
    AgendaItemFactory(round=RoundFactory(), topics=[torture])
    body = analyst_client.get("/api/v1/rounds/?topic=legal-aid").json()
    assert [row["id"] for row in body["results"]] == [raised.pk]
    for unknown in ("no-such-topic", "999999", "(#999999)"):
        bad = analyst_client.get("/api/v1/rounds/", {"topic": unknown})
        assert bad.status_code == 400, unknown
        assert "topic" in bad.json()


def test_tokens_authenticate_and_anonymous_calls_get_401(client, planner):
    token = Token.objects.create(user=planner)
    FollowUpProjectFactory(title="Legal aid")
    assert client.get("/api/v1/projects/").status_code == 401
    response = client.get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.json()["results"][0]["title"] == "Legal aid"


def test_a_planner_creates_and_updates_and_the_model_rules_name_the_field(planner_client):
    round_ = RoundFactory(start_date=datetime.date(2003, 2, 10))
    created = planner_client.post(
        "/api/v1/actions/",
        {"title": "Send the texts", "round": round_.pk, "due_date": "2003-04-01"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    action = FollowUpAction.objects.get()
    assert action.created_by.username == "pat"
    early = planner_client.post(
        "/api/v1/actions/",
        {"title": "Too early", "round": round_.pk, "due_date": "2003-01-01"},
        content_type="application/json",
    )
    assert early.status_code == 400
    assert "cannot be before the round" in early.json()["due_date"][0]
    done = planner_client.patch(
        f"/api/v1/actions/{action.pk}/",
        {"status": "done", "version": action.version},
        content_type="application/json",
    )
    assert done.status_code == 400
    assert "completion date" in done.json()["completed_on"][0]
    assert FollowUpAction.objects.get().status == "open"  # a refused update changes nothing


def test_a_stale_version_is_refused(planner_client):
    project = FollowUpProjectFactory()
    stale = project.version
    project.title = "Changed meanwhile"
    project.save()
    response = planner_client.patch(
        f"/api/v1/projects/{project.pk}/",
        {"title": "Mine", "version": stale},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "version" in response.json()
    assert FollowUpProject.objects.get().title == "Changed meanwhile"


def test_a_stale_version_is_refused_with_what_changed_and_by_whom(planner_client, make_user):
    project = FollowUpProjectFactory(title="Legal aid")
    stale = project.version
    project.title = "Legal aid, as corrected"
    project._history_user = make_user("ben", "planner")
    project.save()
    response = planner_client.patch(
        f"/api/v1/projects/{project.pk}/",
        {"objectives": "Mine", "version": stale},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "title: “Legal aid” → “Legal aid, as corrected” (by ben)" in response.json()["version"]


@pytest.mark.parametrize(
    ("role", "method", "status"),
    [("analyst", "post", 403), ("analyst", "delete", 403), ("officer", "delete", 403)],
)
def test_roles_that_may_not_change_projects_are_refused(client, make_user, role, method, status):
    client.force_login(make_user("u", role, clearance="protected_b"))
    project = FollowUpProjectFactory()
    url = "/api/v1/projects/" if method == "post" else f"/api/v1/projects/{project.pk}/"
    response = getattr(client, method)(url, {"title": "x"}, content_type="application/json")
    assert response.status_code == status
    assert FollowUpProject.objects.count() == 1


def test_clearance_scopes_reading_choosing_and_marking(client, make_user):
    client.force_login(make_user("low", "planner", clearance="unclassified"))
    hidden = RoundFactory(security_marking="protected_b")
    assert client.get(f"/api/v1/rounds/{hidden.pk}/").status_code == 404
    assert client.get("/api/v1/rounds/").json()["count"] == 0
    response = client.post(
        "/api/v1/actions/",
        {
            "title": "x",
            "round": hidden.pk,
            "due_date": "2030-01-01",
            "security_marking": "protected_b",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"round", "security_marking"}


def test_cases_are_for_case_officers_only(client, make_user):
    world = build_world()
    client.force_login(make_user("ana", "analyst", clearance="protected_b"))
    assert client.get("/api/v1/cases/").status_code == 403
    client.force_login(make_user("cora", "case_officer", clearance="protected_b"))
    body = client.get("/api/v1/cases/?raised_at_least=1").json()
    assert [case["id"] for case in body["results"]] == [world["caseofconcern"].pk]


def test_deleting_a_record_others_depend_on_is_a_conflict(admin_client):
    action = FollowUpActionFactory()
    response = admin_client.delete(
        f"/api/v1/rounds/{action.round_id}/?version={action.round.version}"
    )
    assert response.status_code == 409


def test_the_schema_and_its_documentation_page(analyst_client):
    schema = analyst_client.get("/api/schema/?format=json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/rounds/{id}/" in schema["paths"]
    docs = analyst_client.get("/api/docs/")
    assert docs.status_code == 200
    assert "/static/drf_spectacular_sidecar/" in docs.text
    assert "cdn" not in docs.text.lower() and "https://" not in docs.text


def test_the_schemas_descriptions_are_in_the_readers_language(analyst_client, monkeypatch):
    from django.utils import translation

    from api.schema import SchemaGenerator

    monkeypatch.setattr(SchemaGenerator, "built", {})
    with translation.override("fr"):
        schema = SchemaGenerator().get_schema(public=True)
    files = schema["components"]["schemas"]["Material"]["properties"]["files"]
    assert files["description"].startswith("L’adresse où télécharger le fichier")


def test_the_schema_is_built_once_for_each_language(analyst_client, monkeypatch):
    from django.test import Client
    from django.utils import translation
    from drf_spectacular import generators

    from api.schema import SchemaGenerator

    monkeypatch.setattr(SchemaGenerator, "built", {})
    built = []
    parse = generators.SchemaGenerator.parse
    monkeypatch.setattr(
        generators.SchemaGenerator, "parse", lambda self, *a: built.append(1) or parse(self, *a)
    )
    first = analyst_client.get("/api/schema/?format=json").json()
    assert analyst_client.get("/api/schema/?format=json").json() == first
    assert len(built) == 1
    with translation.override("fr"):  # its descriptions are in the reader's language
        SchemaGenerator().get_schema(public=True)
    assert len(built) == 2
    # Kept, it is still served only to those signed in.
    assert Client().get("/api/schema/?format=json").status_code in (401, 403)


def test_losing_the_race_to_save_is_a_conflict_not_an_error(planner_client, monkeypatch):
    from core.models import StaleEdit

    project = FollowUpProjectFactory()

    def raced(self, *args, **kwargs):
        raise StaleEdit("changed meanwhile")

    monkeypatch.setattr(FollowUpProject, "save", raced)
    response = planner_client.patch(
        f"/api/v1/projects/{project.pk}/",
        {"title": "Mine", "version": project.version},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "Someone else saved this record" in response.json()["detail"]
