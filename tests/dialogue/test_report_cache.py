"""The reports kept once built (core/reportcache.py): served again only to readers who would be
shown the same, built again as soon as a table they read is written (by whatever means), after
the view's own checks, with the reads noted as if built, and each declaring every table it reads."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import reportcache
from core.models import AccessLogEntry, SecurityMarking, TableVersion
from core.reading import MARKING_HEADER
from dashboard import caching as dashboard_caching
from followup import caching as followup_caching
from reports import caching as reports_caching
from tests.followup.factories import FollowUpActionFactory, FollowUpProjectFactory
from tests.helpers import report_pages
from tests.world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_after_commit")]

PB = SecurityMarking.PROTECTED_B
ROLES = ("officer", "analyst", "planner", "case_officer")


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def reader(client, make_user):
    client.force_login(make_user("rhea", ROLES, clearance=PB))
    return client


def test_every_cached_report_has_a_page_here():
    reportcache.declared_tables()  # every app's caching module read
    declared = set(reportcache.reports)
    assert declared == set(report_pages({"round": type("R", (), {"pk": 1})})), declared
    assert {
        dashboard_caching.DASHBOARD,
        followup_caching.BOARD,
        reports_caching.BRIEFING,
    } <= set(reportcache.reports.values())


def test_every_cached_report_declares_every_table_it_reads(world, reader, report_builds):
    for name, url in report_pages(world).items():
        assert reader.get(url).status_code == 200, name
    assert [name for name, _tables in report_builds] == list(report_pages(world)), report_builds
    for name, tables in report_builds:
        assert tables, f"{name} read nothing"
        undeclared = tables - set(reportcache.reports[name].tables)
        assert not undeclared, f"{name} reads tables it does not declare: {sorted(undeclared)}"


def test_a_report_is_served_again_without_being_built(world, reader, report_builds):
    for url in report_pages(world).values():
        first = reader.get(url)
        with CaptureQueriesContext(connection) as queries:
            again = reader.get(url)
        assert again.status_code == 200
        kept = re.search(r"<main.*</main>", first.text, re.S).group(0)
        # The layout around the report is built for each request (its nonce, its token).
        nonce = re.compile(r'nonce="[^"]*"|value="[^"]*"')
        assert nonce.sub("", re.search(r"<main.*</main>", again.text, re.S).group(0)) == (
            nonce.sub("", kept)
        )
        # One query for the tables' versions; none of the report's own.
        versions = [q for q in queries.captured_queries if "dialogue_tableversion" in q["sql"]]
        assert len(versions) == 1
    assert len(report_builds) == len(report_pages(world))


def test_a_write_in_sql_by_anyone_builds_the_report_again(world, reader):
    project = FollowUpProjectFactory(title="Before the write")
    board = reverse("followup:board")
    assert "Before the write" in reader.get(board).text
    with connection.cursor() as cursor:  # a script, not the product: no signal is sent
        cursor.execute(
            "UPDATE followup_followupproject SET title = %s WHERE id = %s",
            ["After the write in SQL", project.pk],
        )
    page = reader.get(board).text
    assert "After the write in SQL" in page and "Before the write" not in page
    # And through the ORM's bulk update, which sends no signal either.
    type(project).objects.filter(pk=project.pk).update(title="After the bulk update")
    assert "After the bulk update" in reader.get(board).text


def test_a_write_to_a_table_a_report_reads_through_a_relation_builds_it_again(world, reader):
    dashboard = reverse("dashboard")
    reader.get(dashboard)
    before = dict(TableVersion.objects.values_list("table", "version"))
    world["organization"].name = "Renamed agency"
    world["organization"].save()
    connection.check_constraints()  # as its commit would: the versions are raised then
    after = dict(TableVersion.objects.values_list("table", "version"))
    assert after["stakeholders_organization"] != before.get("stakeholders_organization")
    assert after.get("rounds_round") == before.get("rounds_round")


def test_a_reader_cleared_lower_is_not_served_a_report_kept_for_a_higher_clearance(
    world, reader, client, make_user
):
    FollowUpProjectFactory(title="CANARY-PB-BOARD", security_marking=PB)
    board = reverse("followup:board")
    assert "CANARY-PB-BOARD" in reader.get(board).text
    client.force_login(make_user("ulla", ROLES, clearance=SecurityMarking.UNCLASSIFIED))
    page = client.get(board)
    assert page.status_code == 200
    assert "CANARY-PB-BOARD" not in page.text


def test_a_reader_with_other_roles_is_not_served_the_same_report(world, reader, client, make_user):
    """The dashboard shows case officers the answers on cases; the same dashboard kept for a
    case officer is not served to an analyst."""
    dashboard = reverse("dashboard")
    assert 'id="cases-h"' in reader.get(dashboard).text
    client.force_login(make_user("anna", ("analyst",), clearance=PB))
    assert 'id="cases-h"' not in client.get(dashboard).text


def test_the_view_checks_the_reader_before_the_cache_is_read(world, reader, client, make_user):
    for url in report_pages(world).values():
        reader.get(url)
    client.force_login(make_user("nora", ()))  # signed in, no role
    for name, url in report_pages(world).items():
        if name != "dashboard":  # which says there is nothing to show
            assert client.get(url).status_code == 403, name
    assert "CANARY" not in client.get(reverse("dashboard")).text
    assert 'id="rounds-h"' not in client.get(reverse("dashboard")).text


def test_a_report_is_kept_in_each_language(world, reader):
    board = reverse("followup:board")
    assert "Planning board" in reader.get(board).text
    french = reader.get("/fr" + board).text
    assert "Planning board" not in french and "Tableau de planification" in french


def test_a_report_served_again_is_logged_and_marked_as_if_built(world, reader):
    project = FollowUpProjectFactory(title="A Protected B project", security_marking=PB)
    FollowUpActionFactory(project=project, security_marking=PB)
    board = reverse("followup:board")
    first = reader.get(board)
    again = reader.get(board)
    assert first[MARKING_HEADER] == again[MARKING_HEADER] == PB
    entries = list(AccessLogEntry.objects.order_by("pk"))
    assert len(entries) == 2
    assert entries[0].records == entries[1].records
    assert f"followup.followupproject: {project.pk}" in entries[1].records


def test_a_report_is_never_kept_with_a_form_token(rf, make_user):
    request = rf.get("/")
    request.user = make_user("tess", ROLES)
    with pytest.raises(ValueError, match="form token"):
        reportcache.cached_html(
            request,
            reportcache.CachedReport("token", ()),
            build=lambda: '<input name="csrfmiddlewaretoken" value="x">',
        )


def test_with_no_cache_seconds_every_report_is_built(world, reader, report_builds, settings):
    settings.REPORT_CACHE_SECONDS = 0
    board = reverse("followup:board")
    reader.get(board)
    reader.get(board)
    assert len(report_builds) == 2


def test_every_declared_table_carries_the_triggers():
    declared = reportcache.declared_tables()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = (reportcache.NOTED, reportcache.TRIGGER, reportcache.TRUNCATED)
            for name in names:
                cursor.execute(
                    "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE t.tgname = %s",
                    [name],
                )
                assert {table for (table,) in cursor.fetchall()} == declared, name
        else:
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE %s",
                [f"{reportcache.TRIGGER}%"],
            )
            assert {table for (table,) in cursor.fetchall()} == declared


def test_a_report_read_in_the_transaction_that_wrote_its_table_is_built_for_it(
    world, reader, report_builds, requests_after_commit
):
    """PostgreSQL raises the versions when the writer commits; until then, the writer's own
    reads of a report whose tables it wrote are built for it, and not kept."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite raises a table's version at once, for every row written")
    board = reverse("followup:board")
    reader.get(board)
    reader.get(board)
    assert len(report_builds) == 1  # kept
    requests_after_commit.enabled = False  # from here, the requests run in the writer's transaction
    FollowUpProjectFactory(title="Written, not yet committed")
    assert "Written, not yet committed" in reader.get(board).text
    assert "Written, not yet committed" in reader.get(board).text
    assert len(report_builds) == 3  # built for each read, none kept
    connection.check_constraints()  # the commit: the versions are raised
    reader.get(board)
    reader.get(board)
    assert len(report_builds) == 4  # built once under the new versions, then kept
