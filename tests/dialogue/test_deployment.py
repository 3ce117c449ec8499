"""The deployment files: a valid compose file whose variables the settings actually read."""

import re
import subprocess
import sys
from pathlib import Path

import yaml
from django.conf import settings

COMPOSE = settings.BASE_DIR / "docker-compose.yml"
CHECKER = Path(sys.executable).with_name("check-jsonschema")


def test_the_compose_file_is_valid_against_the_compose_spec():
    result = subprocess.run(
        [str(CHECKER), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_checker_would_catch_an_invalid_compose_file(tmp_path):
    broken = tmp_path / "docker-compose.yml"
    broken.write_text("services:\n  web:\n    image: [not, a, string]\n    ports: 8000\n")
    result = subprocess.run(
        [str(CHECKER), "--builtin-schema", "vendor.compose-spec", str(broken)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0


def test_every_variable_given_to_web_is_read_by_the_settings():
    compose = yaml.safe_load(COMPOSE.read_text())
    given = set(compose["services"]["web"]["environment"])
    source = "".join(
        path.read_text() for path in (settings.BASE_DIR / "dialogue").glob("settings.py")
    )
    read = set(re.findall(r'env_\w+\(\s*"([A-Z0-9_]+)"', source))
    gunicorn = (settings.BASE_DIR / "gunicorn.conf.py").read_text()
    read |= set(re.findall(r'environ\.get\(\s*"([A-Z_]+)"', gunicorn))
    read |= set(re.findall(r"environ\.get\(\s*'([A-Z_]+)'", gunicorn))
    assert given <= read, f"set in compose but never read: {sorted(given - read)}"


def test_the_database_waits_for_a_healthy_postgres_16():
    compose = yaml.safe_load(COMPOSE.read_text())
    db = compose["services"]["db"]
    assert db["image"] == "postgres:16"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert compose["services"]["web"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_migrations_run_once_before_the_web_service_starts():
    compose = yaml.safe_load(COMPOSE.read_text())
    migrate, web = compose["services"]["migrate"], compose["services"]["web"]
    assert "migrate --noinput" in migrate["command"]
    assert migrate["restart"] == "no"
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "migrate" not in " ".join(web["command"])
    assert "/healthz" in " ".join(web["healthcheck"]["test"])


def test_the_image_copies_every_package_before_installing_it():
    dockerfile = (settings.BASE_DIR / "Dockerfile").read_text()
    project = (settings.BASE_DIR / "pyproject.toml").read_text()
    packages = re.search(r"packages = \[(.*?)\]", project).group(1)
    for package in re.findall(r'"(\w+)"', packages):
        assert f"COPY {package} ./{package}" in dockerfile, package
    assert 'CMD ["gunicorn", "-c", "gunicorn.conf.py", "dialogue.wsgi"]' in dockerfile


def test_the_gunicorn_settings_load():
    namespace = {}
    exec((settings.BASE_DIR / "gunicorn.conf.py").read_text(), namespace)
    assert namespace["workers"] >= 2 and namespace["accesslog"] == "-"
