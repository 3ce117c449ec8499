"""Operations: the health check, the Server-Timing header, JSON logs, backup and restore."""

import json
import logging
import sqlite3
import subprocess
from contextlib import closing

import psycopg
import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection

from core.logging import JsonFormatter
from rounds.models import Round
from tests.world import build_world


@pytest.mark.django_db
def test_the_health_check_answers_without_sign_in_https_or_a_known_host(client, settings):
    settings.ALLOWED_HOSTS = ["dialogue.example.gc.ca"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_the_health_check_says_when_the_database_is_down(client, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.django_db
def test_server_timing_splits_application_and_database_time(analyst_client, settings):
    build_world()
    settings.SERVER_TIMING = True
    header = analyst_client.get("/rounds/")["Server-Timing"]
    assert header.startswith("app;dur=")
    assert "db;dur=" in header and "queries" in header
    settings.SERVER_TIMING = False
    assert "Server-Timing" not in analyst_client.get("/rounds/")


def test_logs_are_json_lines():
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Broke %s", ("x",), None
    )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "ERROR" and entry["message"] == "Broke x"
    assert entry["logger"] == "django.request" and entry["time"].endswith("+00:00")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_scratch_database_with_the_same_rows(tmp_path):
    build_world()
    build_world()
    dump = tmp_path / "backup.dump"
    call_command("backup", "--output", str(dump))
    assert dump.stat().st_size > 0
    source = connection.settings_dict
    scratch = f"{source['NAME']}_restore"
    admin = psycopg.connect(
        host=source["HOST"] or None,
        port=source["PORT"] or None,
        user=source["USER"],
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
    admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        restore = [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--host",
            source["HOST"] or "127.0.0.1",
            "--port",
            str(source["PORT"] or 5432),
            "--username",
            source["USER"],
            "--dbname",
            scratch,
            str(dump),
        ]
        subprocess.run(restore, check=True, capture_output=True, text=True)
        tables = connection.introspection.table_names()
        with (
            connection.cursor() as original,
            psycopg.connect(
                host=source["HOST"] or None,
                port=source["PORT"] or None,
                user=source["USER"],
                dbname=scratch,
            ) as restored,
        ):
            for table in tables:
                original.execute(f'SELECT count(*) FROM "{table}"')
                expected = original.fetchone()[0]
                found = restored.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                assert found == expected, f"{table}: {expected} rows, {found} after restore"
        assert len(tables) > 40
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        admin.close()


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_sqlite_is_a_copy(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite backup runs in the SQLite pass")
    build_world()
    target = tmp_path / "copy.sqlite3"
    call_command("backup", "--output", str(target))
    with closing(sqlite3.connect(target)) as copy:
        (rounds,) = copy.execute("SELECT count(*) FROM rounds_round").fetchone()
    assert rounds == Round.objects.count() > 0
