"""The shared page cache: a page rendered for one reader is served again to every reader who
would be shown the same page, until a table it was built from changes.

Who would be shown the same page: the same host, address and query, the same language and day,
and the same access (roles, permissions, clearance). Views whose page names the reader themselves
say so (`per_user`), and then the reader is part of the key too.

When a table changes: PostgreSQL keeps a version number for every table (`DataVersion`),
raised by triggers on every write, whatever makes it: a form, the admin, the API, an import, a
bulk update, raw SQL. The version is raised when the writing transaction commits, inside it,
so a reader never sees new versions with old rows. A page remembers the tables its queries read
and their versions before it was built; it is served again only while all of them still stand,
or, once one has been written, while its queries, run again, still return the same rows (their
digest is compared in one statement, far cheaper than building the page).

What is not shared: the parts of the layout that belong to the request are cut out before a
page is stored and filled in again for each reader: the CSP nonce, CSRF tokens and the signed-in
user's bar. What the page read (`core/reading.py`: its marked records) is kept with it and
noted again each time it is served, so a page served from the cache is labelled and
access-logged exactly as if it had been built. A page is not stored when its view wrote
anything, when it was not a 200 HTML answer,
when messages were waiting to be shown, or when it read a table that has no version.

PostgreSQL only: on SQLite (`make run`'s default) pages are always built afresh.
"""

import contextlib
import functools
import hashlib
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.template.backends.utils import csrf_input
from django.template.loader import get_template
from django.utils import timezone
from django.utils.functional import empty
from django.utils.translation import get_language

from core import reading

# Tables that carry no version: written on every request or sign-in, or append-only logs. A page
# that reads one of them (the access log's) is not stored; the session is read before the view.
UNVERSIONED = frozenset(
    {
        "dialogue_dataversion",
        "django_migrations",
        "django_session",
        "dialogue_accesslogentry",
        "axes_accessattempt",
        "axes_accessattemptexpiration",
        "axes_accessfailurelog",
        "axes_accesslog",
    }
)
IGNORED_READS = frozenset({"django_session"})

# Placeholders for what belongs to one request. PostgreSQL text cannot hold a NUL character,
# so no record can contain them; a page that somehow does is not stored.
NONCE = "\x00nonce\x00"
CSRF = "\x00csrf\x00"
USERBAR = "\x00userbar\x00"
CSRF_INPUT = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')
USERBAR_SPAN = re.compile(r"<!--userbar-->.*?<!--/userbar-->", re.DOTALL)
SELECT = re.compile(r"^\s*(?:SELECT|WITH)\b", re.IGNORECASE)
READS = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?', re.IGNORECASE)
WRITES = re.compile(r"^\s*(?:INSERT|UPDATE|DELETE|TRUNCATE|MERGE)\b", re.IGNORECASE)

# -- the versions ---------------------------------------------------------------------------------

TRIGGER_FUNCTIONS = """
CREATE OR REPLACE FUNCTION dialogue_note_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    written text := coalesce(current_setting('dialogue.written', true), '');
    raised text := coalesce(current_setting('dialogue.raised', true), '');
BEGIN
    -- Before each writing statement: remember, for this transaction, that the table is
    -- written and that its version is still to be raised (again, if it already was once
    -- because the constraint triggers were made immediate).
    IF position(',' || TG_TABLE_NAME || ',' IN ',' || written || ',') = 0 THEN
        PERFORM set_config(
            'dialogue.written', concat_ws(',', nullif(written, ''), TG_TABLE_NAME), true
        );
    END IF;
    IF position(',' || TG_TABLE_NAME || ',' IN ',' || raised || ',') > 0 THEN
        PERFORM set_config(
            'dialogue.raised',
            array_to_string(array_remove(string_to_array(raised, ','), TG_TABLE_NAME), ','),
            true
        );
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION dialogue_raise_versions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    written text := coalesce(current_setting('dialogue.written', true), '');
    raised text := coalesce(current_setting('dialogue.raised', true), '');
    pending text[];
BEGIN
    -- Deferred to the commit, and then once a transaction: raise the version of every table
    -- the transaction wrote, locking their rows in name order so that two commits cannot
    -- wait for each other.
    IF written = raised THEN
        RETURN NULL;
    END IF;
    pending := ARRAY(
        SELECT name FROM unnest(string_to_array(written, ',')) AS name
        WHERE name <> ALL (string_to_array(raised, ',')) ORDER BY name
    );
    PERFORM 1 FROM dialogue_dataversion
        WHERE table_name = ANY (pending) ORDER BY table_name FOR UPDATE;
    UPDATE dialogue_dataversion SET version = version + 1 WHERE table_name = ANY (pending);
    PERFORM set_config('dialogue.raised', written, true);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION dialogue_raise_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dialogue_dataversion SET version = version + 1 WHERE table_name = TG_TABLE_NAME;
    RETURN NULL;
END $$;
"""

TABLE_TRIGGERS = """
CREATE OR REPLACE TRIGGER dialogue_data_written BEFORE INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION dialogue_note_write();
CREATE OR REPLACE TRIGGER dialogue_data_truncated AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION dialogue_raise_truncated();
"""
# PostgreSQL cannot replace a constraint trigger: it is made once.
VERSION_TRIGGER = """
CREATE CONSTRAINT TRIGGER dialogue_data_version AFTER INSERT OR UPDATE OR DELETE ON {table}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION dialogue_raise_versions();
"""


def install_triggers(using="default", **kwargs) -> None:
    """Give every table but the unversioned ones a version and the triggers that raise it.
    Run after every migrate (post_migrate), so that a new table is covered the day it is made.
    """
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "postgresql":
        return
    tables = [t for t in conn.introspection.table_names() if t not in UNVERSIONED]
    with conn.cursor() as cursor:
        cursor.execute(TRIGGER_FUNCTIONS)
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'dialogue_data_version'"
        )
        covered = {name for (name,) in cursor.fetchall()}
        for table in tables:
            quoted = conn.ops.quote_name(table)
            cursor.execute(TABLE_TRIGGERS.format(table=quoted))
            if table not in covered:
                cursor.execute(VERSION_TRIGGER.format(table=quoted))
        cursor.execute(
            "INSERT INTO dialogue_dataversion (table_name, version) "
            "SELECT unnest(%s::text[]), 0 ON CONFLICT DO NOTHING",
            [tables],
        )


def versions() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name, version FROM dialogue_dataversion")
        return dict(cursor.fetchall())


# -- the key --------------------------------------------------------------------------------------


@functools.cache
def release() -> str:
    """A fingerprint of the code, templates and translations of every installed app that lives
    under the project (ours, and the libraries in its virtualenv), so that a new release never
    serves a page an older one stored in a shared cache. Read once a process (0.2 s)."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    folders = [root / "templates", root / "locale"] + [
        Path(app.path) for app in apps.get_app_configs() if Path(app.path).is_relative_to(root)
    ]
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".py", ".html", ".mo"}:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# The tables a user's roles and permissions are read from: while their versions stand, the
# roles and permissions read for a user before still hold, and are not read again.
ACCESS_TABLES = (
    "dialogue_user",
    "dialogue_user_groups",
    "dialogue_user_user_permissions",
    "auth_group",
    "auth_group_permissions",
    "auth_permission",
)
_access: dict[tuple, tuple] = {}


def _roles_and_permissions(user, now: dict[str, int]) -> tuple:
    stamp = (user.pk, *(now.get(table) for table in ACCESS_TABLES))
    found = _access.get(stamp)
    if found is None:
        if len(_access) >= 10_000:
            _access.clear()
        found = _access[stamp] = (
            tuple(sorted(user.role_names)),
            tuple(sorted(user.get_all_permissions())),
        )
    return found


def page_key(request, now: dict[str, int], *, per_user: bool) -> str:
    user = request.user
    identity = (
        _roles_and_permissions(user, now),
        sorted(user.visible_markings),
        user.is_superuser,
        user.is_staff,
        user.is_active,
        user.pk if per_user else None,
    )
    parts = (
        request.get_host(),
        request.get_full_path(),
        get_language(),
        timezone.localdate().isoformat(),
        identity,
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"page:{release()}:{digest}"


# -- serving --------------------------------------------------------------------------------------


def enabled() -> bool:
    return settings.PAGE_CACHE and connection.vendor == "postgresql"


def _messages_waiting(request) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def shared_page(view=None, *, per_user=None):
    """Serve the view's page from the shared cache when it can be (see the module's notes).
    `per_user(request)` says when the page names the reader (e.g. "assigned to me").

    Put it above the view's permission checks: a stored page is served only to readers with
    the same permissions as the reader it was built for, so they would pass the same checks,
    and a refused request (403, 404) is never stored."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if (
                request.method != "GET"
                or not enabled()
                or not request.user.is_authenticated
                or getattr(request, "htmx", False)
                or _messages_waiting(request)
            ):
                return view(request, *args, **kwargs)
            mine = bool(per_user and per_user(request))
            return serve(request, lambda: view(request, *args, **kwargs), per_user=mine)

        return wrapper

    return decorate(view) if view is not None else decorate


def serve(request, build, *, per_user: bool):
    with reading.reading() as found:
        response, entry = _serve(request, build, per_user=per_user)
    if entry is not None:
        # Stored now: what the page read goes with it (read outside the page's watch).
        entry["reading"] = found.snapshot(request.user)
        caches[settings.PAGE_CACHE_ALIAS].set(entry.pop("key"), entry, settings.PAGE_CACHE_SECONDS)
    return response


def _serve(request, build, *, per_user: bool):
    """The page and, if it is to be stored, its cache entry (with its key under "key")."""
    cache = caches[settings.PAGE_CACHE_ALIAS]
    now = versions()
    key = page_key(request, now, per_user=per_user)
    entry = cache.get(key)
    recheck = True
    if entry is not None:
        if _standing(entry["tables"], now):
            return _served(entry, request, "hit"), None
        check = entry.get("check")
        if check is not None:
            sql, params, digest = check
            if digest is not None and _digest(sql, params) == digest:
                # A table it read was written, but not the rows it read: it still stands.
                entry["tables"] = {table: now.get(table) for table in entry["tables"]}
                cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
                return _served(entry, request, "revalidated"), None
            recheck = False  # its rows do change: next time, build it without trying

    read, wrote, statements = set(), [], []

    def watch(execute, sql, params, many, context):
        read.update(READS.findall(sql))
        if WRITES.match(sql):
            wrote.append(sql)
        statements.append((sql, None if many else params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        response = build()
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
    response.page_cache = "miss"
    tables = {name: now[name] for name in read if name in now}
    unversioned = {name for name in read if name in UNVERSIONED} - IGNORED_READS
    if (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not wrote
        and not unversioned
        and not _messages_waiting(request)
    ):
        body = _hollow(response.content.decode(response.charset), request)
        if body is not None:
            entry = {"tables": tables, "body": body, "content_type": response["Content-Type"]}
            if recheck:
                entry["check"] = _check(statements, tables)
            response.page_cache = "stored"
            return response, {**entry, "key": key}
    return response, None


def _standing(tables: dict[str, int], now: dict[str, int]) -> bool:
    """Whether every table keeps the version it had."""
    return all(now.get(table) == version for table, version in tables.items())


def _served(entry: dict, request, how: str) -> HttpResponse:
    reading.restore(entry.get("reading") or {"markings": [], "protected": []})
    response = HttpResponse(_fill(entry["body"], request), content_type=entry["content_type"])
    response.page_cache = how
    return response


# -- revalidation -------------------------------------------------------------------------------
#
# A page is a function of its address, its reader's access, the language, the day, the code and
# the rows its queries returned. So when a table it read has been written since, the page still
# stands if its queries, run again, return the same rows: PostgreSQL runs them all in one
# statement and answers with one digest of their results, far cheaper than building the page.


def _check(statements, tables: dict[str, int]) -> tuple[str, list, str] | None:
    """The statement that digests the page's queries, and the digest now; None if a query
    cannot be run again on its own, or if a table the page read was written while it was
    built (the digest would then describe other rows than the page shows)."""
    parts, params = [], []
    for sql, values in statements:
        names = set(READS.findall(sql))
        if names and names <= IGNORED_READS:
            continue  # the session, read by the layout
        if not SELECT.match(sql):
            return None
        if values is None:
            sql = sql.replace("%", "%%")
        elif not isinstance(values, (list, tuple)):
            return None
        parts.append(f"(SELECT md5(coalesce(string_agg(q::text, E'\\n'), '')) FROM ({sql}) AS q)")
        params.extend(values or ())
    if not parts:
        return None
    sql = "SELECT md5(" + " || ".join(parts) + ")"
    digest = _digest(sql, params)
    after = versions()
    if digest is None or not _standing(tables, after):
        return None
    return sql, params, digest


def _digest(sql: str, params: list) -> str | None:
    """The digest of the page's queries' results; None if PostgreSQL refuses the statement
    (then the page is built, as if its rows had changed)."""
    try:
        # Inside a transaction (a test's), a savepoint keeps a refusal from spoiling it.
        guard = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
        with guard, connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]
    except DatabaseError:
        return None


def _hollow(body: str, request) -> str | None:
    """The page with what belongs to this request cut out; None if it cannot be shared."""
    if "\x00" in body:
        return None
    body = USERBAR_SPAN.sub(USERBAR, body)
    body = CSRF_INPUT.sub(CSRF, body)
    nonce = get_nonce(request)
    if nonce is not None and getattr(nonce, "_wrapped", empty) is not empty:
        body = body.replace(str(nonce), NONCE)
    return body


def _fill(body: str, request) -> str:
    if USERBAR in body:
        userbar = get_template("includes/userbar.html").render(
            {"user": request.user, "csrf_token": get_token(request)}
        )
        body = body.replace(USERBAR, f"<!--userbar-->{userbar}<!--/userbar-->")
    if CSRF in body:
        body = body.replace(CSRF, csrf_input(request))
    if NONCE in body:
        body = body.replace(NONCE, str(get_nonce(request)))
    return body
