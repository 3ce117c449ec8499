# Dialogue Tracker. `make run` and `make test` do all their own set-up on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/dialogue
# Each pass of the suite gets its own throw-away var/ so the two databases never meet.
TEST_ENV := SECRET_KEY=test-only-secret-key DEBUG=false STATIC_MANIFEST=false SECURE_SSL_REDIRECT=false

MESSAGES_IGNORE := --ignore=.venv --ignore=node_modules --ignore=static --ignore=tests --ignore=var --ignore=requirements

# The first Python >= 3.12 on PATH, then under pyenv's versions.
FIND_PYTHON := for c in python3.14 python3.13 python3.12 python3 \
	$$HOME/.pyenv/versions/3.1[2-9]*/bin/python /root/.pyenv/versions/3.1[2-9]*/bin/python; do \
	  if command -v "$$c" >/dev/null 2>&1 && "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    command -v "$$c"; break; fi; done

.PHONY: help run test lock lint migrations-check deploy-check test-postgres test-sqlite chromium gettext messages bench loadtest clean

help:
	@echo "make run   - set up and serve http://127.0.0.1:8000 (SQLite under var/ unless DATABASE_URL)"
	@echo "make test  - lint, migration check, then the suite on PostgreSQL and on SQLite"
	@echo "make bench [SCALE=1]     - time every page on PostgreSQL against its targets (var/bench.json)"
	@echo "make loadtest [SCALE=1]  - gunicorn under a mix of signed-in page views (locust)"
	@echo "make lock  - resolve pyproject.toml again into the lock files under requirements/"

# The virtual environment is installed from the lock files (requirements/), hashes checked, and
# the project itself without its dependencies; `make lock` writes them again from pyproject.toml.
$(VENV)/.installed: requirements/test.txt pyproject.toml
	@py="$$($(FIND_PYTHON))"; \
	if [ -z "$$py" ]; then echo "error: no Python >= 3.12 found on PATH or under ~/.pyenv/versions; install one (Django 6.1 needs it)." >&2; exit 1; fi; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  rm -rf $(VENV); echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements/test.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@rm -f $(VENV)/.bench-installed
	@touch $@

# locust and what else the benchmark and the load test need, on top of the test environment.
$(VENV)/.bench-installed: requirements/bench.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --require-hashes -r requirements/bench.txt
	@touch $@

# Resolve pyproject.toml's dependencies again into the lock files, for Python >= 3.12 on every
# platform. A version already locked is kept while pyproject.toml still allows it;
# `make lock LOCK_ARGS=--upgrade` takes the latest allowed instead. The runtime lock bounds the
# test one, and the test lock the bench one, so that the three agree on every package they share.
UV_COMPILE = $(VENV)/bin/uv pip compile pyproject.toml --quiet --universal --python-version 3.12 \
	--generate-hashes --custom-compile-command "make lock" $(LOCK_ARGS)
lock: $(VENV)/.installed
	$(PY) -m pip install --quiet uv==0.13.9
	$(UV_COMPILE) -o requirements/base.txt
	$(UV_COMPILE) --extra test -c requirements/base.txt -o requirements/test.txt
	$(UV_COMPILE) --extra bench -c requirements/test.txt -o requirements/bench.txt

var:
	@mkdir -p var

run: $(VENV)/.installed | var
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(PY) manage.py load_reference_data --if-empty
	DEBUG=$${DEBUG:-true} $(PY) manage.py ensure_admin
	DEBUG=$${DEBUG:-true} $(PY) manage.py runserver 127.0.0.1:8000

# lint-imports checks the layers in .importlinter: the core imports no domain app, and the
# domain apps import one another in one direction only.
lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --config .importlinter

migrations-check: $(VENV)/.installed | var
	$(TEST_ENV) DATABASE_URL=sqlite:///$(CURDIR)/var/migrations-check.sqlite3 \
	  $(PY) manage.py makemigrations --check --dry-run

# Production settings must pass Django's deployment checklist without a single warning.
deploy-check: $(VENV)/.installed | var
	DEBUG=false SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  ALLOWED_HOSTS=dialogue.example.gc.ca DATABASE_URL=sqlite:///$(CURDIR)/var/deploy-check.sqlite3 \
	  $(PY) manage.py check --deploy --fail-level WARNING

# Browser tests drive Debian's Chromium (Playwright's own download does not work here).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Chromium for the browser tests"; \
	  apt-get -o DPkg::Lock::Timeout=300 install -y chromium >/dev/null \
	  || { apt-get -o DPkg::Lock::Timeout=300 update >/dev/null \
	       && apt-get -o DPkg::Lock::Timeout=300 install -y chromium >/dev/null; } \
	  || { echo "error: could not install chromium (apt-get install chromium, as root)" >&2; exit 1; }; \
	fi

# GNU gettext: makemessages runs xgettext, and the catalogue test runs makemessages.
gettext:
	@if ! command -v xgettext >/dev/null 2>&1 || ! command -v msgmerge >/dev/null 2>&1; then \
	  echo "Installing GNU gettext for the translation checks"; \
	  apt-get -o DPkg::Lock::Timeout=300 install -y gettext >/dev/null \
	  || { apt-get -o DPkg::Lock::Timeout=300 update >/dev/null \
	       && apt-get -o DPkg::Lock::Timeout=300 install -y gettext >/dev/null; } \
	  || { echo "error: could not install gettext (apt-get install gettext, as root)" >&2; exit 1; }; \
	fi

# After changing a user-facing string: refresh the French catalogue, translate what it marks
# empty or fuzzy, then compile it (both files are committed).
messages: $(VENV)/.installed gettext
	DEBUG=true $(PY) manage.py makemessages -l fr --no-location --no-obsolete $(MESSAGES_IGNORE)
	DEBUG=true $(PY) manage.py compilemessages -l fr --ignore=.venv --ignore=node_modules

test-postgres: $(VENV)/.installed chromium gettext | var
	$(TEST_ENV) DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(PY) -m pytest -q -n 2

test-sqlite: $(VENV)/.installed gettext | var
	$(TEST_ENV) DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(PY) -m pytest -q -n 2 -m "not postgres_only and not browser"

test: lint migrations-check deploy-check test-postgres test-sqlite

# Speed: PostgreSQL databases of synthetic data at SCALE (1 is 100× the report) and a tenth.
SCALE ?= 1
bench: $(VENV)/.bench-installed | var
	$(PY) scripts/bench.py --scale $(SCALE) $(BENCH_ARGS)

loadtest: $(VENV)/.bench-installed | var
	$(PY) scripts/loadtest.py --scale $(SCALE) $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) var
