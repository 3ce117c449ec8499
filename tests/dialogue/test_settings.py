"""Settings come from the environment and fail loudly on a bad value."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core.env import env_bool, env_int, env_list, env_str


def run_settings(**env) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with exactly this environment."""
    clean = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import dialogue.settings"],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_debug_a_secret_key_is_required():
    result = run_settings(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set" in result.stderr


def test_with_debug_a_development_key_is_allowed():
    assert run_settings(DEBUG="true").returncode == 0


def test_a_bad_boolean_stops_start_up():
    result = run_settings(DEBUG="maybe")
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_a_bad_database_url_stops_start_up():
    result = run_settings(DEBUG="true", DATABASE_URL="nonsense://x")
    assert result.returncode != 0
    assert "DATABASE_URL cannot be read" in result.stderr


def test_the_secret_may_come_from_a_file(tmp_path, monkeypatch):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))
    assert env_str("SECRET_KEY") == "from-a-file"


def test_an_unreadable_secret_file_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match=r"SECRET_KEY_FILE=.*cannot be read"):
        env_str("SECRET_KEY")


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("0", False), ("", False)])
def test_booleans_are_read(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", not expected) is expected


def test_integers_are_checked(monkeypatch):
    monkeypatch.setenv("N", "twelve")
    with pytest.raises(ImproperlyConfigured, match="N='twelve' is not an integer"):
        env_int("N", 1)
    monkeypatch.setenv("N", "3")
    with pytest.raises(ImproperlyConfigured, match="below the minimum of 8"):
        env_int("N", 12, minimum=8)


def test_lists_are_comma_separated(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,,")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]
