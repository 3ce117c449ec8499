"""Reports kept once built, for the readers who would be shown the same (issue 16).

There is no page cache. A report that is slow to build is cached by name, in its own view,
after the view has checked the reader, and only the part of the page the report draws (no
sign-in bar, form token or script nonce):

    CONTINUITY = reportcache.declare("continuity", Topic, AgendaItem, Round, Dialogue)

    body = reportcache.cached_html(request, CONTINUITY, build=lambda: render_to_string(...))

The key holds everything that changes what the report shows:

- the report's name and the page's address with its query string (the record it is about, its
  filters, its page, the language's prefix);
- the reader's language, clearance, roles and permissions (a superuser is one of each), and
  today's date;
- the version of every table the report declares (its models' tables and their many-to-many
  tables; for a model declared with fields, only a change of those fields counts). Triggers give
  a table a new version in the transaction of whoever writes to it (a form, the admin, an
  import, the API, a script in SQL), so that readers see the new version when they see the new
  rows. `install_triggers` puts them on the declared tables after every migrate.

What a cached report read is kept with it (core/reading.py) and noted again each time it is
served, so that the page's marking banner and the access log of Protected B reads are as if it
had been built again. REPORT_CACHE_SECONDS bounds how long a report is kept (0: never kept,
every report built for its request, as `make bench` measures them).

On PostgreSQL a statement that writes to a declared table notes the table in its transaction
(a setting local to it), and the versions are raised once, when the transaction commits (a
deferred constraint trigger), for all the tables it wrote, in the order of their names, from a
sequence. So writers wait for one another only while committing, never for the length of an
import, and always take the version rows in the same order, so they cannot deadlock on them.
A report read in a transaction that has written one of its tables and not committed is built
for it and not kept. On SQLite, which has one writer at a time, a trigger on every row written
gives its table a random version at once.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core import reading

CACHE = "reports"
# PostgreSQL: the table noted by each statement, the versions raised at commit, and at once
# for a TRUNCATE (no row trigger sees one); SQLite: one trigger a kind of write.
NOTED = "dialogue_table_written"
TRIGGER = "dialogue_table_version"
TRUNCATED = "dialogue_table_truncated"
NOTE = "dialogue_note_table_written"
RAISE = "dialogue_raise_table_versions"
RAISE_TRUNCATED = "dialogue_raise_truncated_version"
SEQUENCE = "dialogue_table_version_seq"
SETTING = "dialogue.tables_written"  # the tables this transaction wrote: ",a,b,"

reports: dict[str, "CachedReport"] = {}


@dataclass(frozen=True)
class CachedReport:
    """A report that may be served again, and the models whose tables it reads: a model, or
    (model, field names) when only those fields show (a user's name, not their last sign-in)."""

    name: str
    models: tuple

    @cached_property
    def columns(self) -> dict[str, frozenset | None]:
        """Each table read, with the columns whose change counts (None: any)."""
        found: dict[str, frozenset | None] = {}
        for declared in self.models:
            model, fields = declared if isinstance(declared, tuple) else (declared, None)
            columns = None
            if fields is not None:
                columns = frozenset(model._meta.get_field(name).column for name in fields)
            found[model._meta.db_table] = _either(found.get(model._meta.db_table, ()), columns)
            if fields is None:
                for field in model._meta.local_many_to_many:
                    found[field.remote_field.through._meta.db_table] = None
        return found

    @cached_property
    def tables(self) -> tuple[str, ...]:
        return tuple(sorted(self.columns))


def _either(known, columns):
    """Columns that count for a table declared twice: any, if either says any."""
    if known is None or columns is None:
        return None
    return frozenset(known) | columns


def declare(name: str, *models) -> CachedReport:
    """Declare a cached report and every model it reads (their many-to-many tables come too),
    or (model, field names) where only those fields show."""
    report = CachedReport(name, tuple(models))
    known = reports.get(name)
    if known is not None and known != report:
        raise ValueError(f"Two cached reports are named {name!r}.")
    reports[name] = report
    return report


def declared_tables() -> set[str]:
    """Every table a declared report reads, once each app's `caching` module is imported."""
    return set(declared_columns())


def declared_columns() -> dict[str, frozenset | None]:
    """Every table a declared report reads, with the columns whose change counts (None: any)."""
    autodiscover_modules("caching")
    found: dict[str, frozenset | None] = {}
    for report in reports.values():
        for table, columns in report.columns.items():
            found[table] = _either(found.get(table, ()), columns)
    return found


def cached_html(request, report: CachedReport, *, build: Callable[[], str]) -> SafeString:
    """The report's HTML: as kept for this reader and these data, else built by `build` and
    kept. Call it after the view has checked the reader; `build` renders the report's part of
    the page (it must hold no form token: the part is served to other readers)."""
    seconds = settings.REPORT_CACHE_SECONDS
    if seconds <= 0:
        return mark_safe(built(report, build))
    cache = caches[CACHE]
    reader = _reader(request)  # read before the report, which may ask the same
    versions, pending = _versions(report.tables)
    if pending:  # written in this transaction, not yet committed: built for it alone
        return mark_safe(built(report, build))
    key = _key(request, report, reader, versions)
    kept = cache.get(key)
    if kept is not None:
        html, read = kept
        reading.replay(read)
        return mark_safe(html)
    with reading.reading() as found:
        html = built(report, build)
    # The form token's field, as {% csrf_token %} draws it: a record's text may hold the bare
    # word (escaping leaves letters alone), never the quoted attribute (its quotes are escaped).
    if 'name="csrfmiddlewaretoken"' in html:
        raise ValueError(f"The cached report {report.name!r} holds a form token.")
    cache.set(key, (str(html), found.kept()), seconds)
    return mark_safe(html)


def render_report(request, report: CachedReport, template_name: str, context, *, title, **page):
    """A cached report's page: its part drawn from `template_name` with `context()` (or served
    as kept), in the layout built for this reader (includes/report_page.html). `title` and the
    rest of `page` (breadcrumbs) reach both."""
    page["title"] = title
    body = cached_html(
        request,
        report,
        build=lambda: render_to_string(template_name, {**page, **context()}, request=request),
    )
    return render(request, "includes/report_page.html", {**page, "body": body})


def built(report: CachedReport, build: Callable[[], str]) -> str:
    """Build the report (the tests watch its queries here)."""
    return build()


def _reader(request) -> list[str]:
    """What of the reader changes what a report shows them."""
    user = request.user
    return [
        getattr(user, "clearance", ""),
        str(user.is_superuser),
        repr(sorted(getattr(user, "role_names", ()))),
        repr(sorted(user.get_all_permissions())),
    ]


def _key(request, report: CachedReport, reader: list, versions: dict) -> str:
    parts = [
        report.name,
        request.get_full_path(),
        get_language() or "",
        *reader,
        timezone.localdate().isoformat(),
        ",".join(f"{table}={versions.get(table, 0)}" for table in report.tables),
    ]
    digest = hashlib.blake2b("\n".join(parts).encode(), digest_size=20).hexdigest()
    return f"report:{report.name}:{digest}"


def _versions(tables) -> tuple[dict[str, int], bool]:
    """The tables' versions, and whether this transaction has written one of them and not yet
    committed (PostgreSQL raises the versions at commit)."""
    from core.models import TableVersion

    if not tables:
        return {}, False
    versions_table = connection.ops.quote_name(TableVersion._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f'SELECT current_setting(%s, true), v."table", v.version FROM (SELECT 1) one '
                f'LEFT JOIN {versions_table} v ON v."table" = ANY(%s)',
                [SETTING, list(tables)],
            )
            rows = cursor.fetchall()
            written = set((rows[0][0] or "").split(",")) if rows else set()
            found = {table: version for _written, table, version in rows if table is not None}
            return found, bool(written & set(tables))
        cursor.execute(
            f'SELECT "table", version FROM {versions_table} WHERE "table" IN '
            f"({', '.join(['%s'] * len(tables))})",
            list(tables),
        )
        return dict(cursor.fetchall()), False


# -- the triggers ----------------------------------------------------------------------------------


def install_triggers(using=None, **kwargs) -> None:
    """Put the version triggers on every declared table (after every migrate), and take them
    off tables no report declares any more."""
    from django.db import connections

    from core.models import TableVersion

    db = connections[using or "default"]
    existing = set(db.introspection.table_names())
    if TableVersion._meta.db_table not in existing:
        return  # migrating backwards, below the migration that makes the table
    wanted = {t: c for t, c in declared_columns().items() if t in existing}
    if db.vendor == "postgresql":
        _install_postgresql(db, wanted, TableVersion._meta.db_table)
    elif db.vendor == "sqlite":
        _install_sqlite(db, wanted, TableVersion._meta.db_table)


def _writes(db, columns) -> str:
    """The writes that count: any, or an update of the declared columns only."""
    if columns is None:
        return "INSERT OR UPDATE OR DELETE"
    named = ", ".join(db.ops.quote_name(column) for column in sorted(columns))
    return f"INSERT OR UPDATE OF {named} OR DELETE"


def _install_postgresql(db, wanted: dict, versions: str) -> None:
    quote = db.ops.quote_name
    upsert = (
        f'INSERT INTO {quote(versions)} ("table", version) '
        "SELECT found_table, nextval('{seq}') FROM ({tables}) AS found(found_table) "
        "ORDER BY found_table "
        'ON CONFLICT ("table") DO UPDATE SET version = EXCLUDED.version'
    )
    with db.cursor() as cursor:
        cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {quote(SEQUENCE)}")
        # Each statement notes its table in the transaction's own setting (no lock taken).
        cursor.execute(
            f"""CREATE OR REPLACE FUNCTION {quote(NOTE)}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            DECLARE written text := coalesce(current_setting('{SETTING}', true), '');
            BEGIN
              IF position(',' || TG_TABLE_NAME || ',' IN written) = 0 THEN
                PERFORM set_config('{SETTING}',
                  (CASE WHEN written = '' THEN ',' ELSE written END) || TG_TABLE_NAME || ',',
                  true);
              END IF;
              RETURN NULL;
            END $$"""
        )
        # At commit, the first of its deferred row events raises every table it wrote, in the
        # order of their names; the others find nothing left to raise.
        tables = "SELECT DISTINCT unnest(string_to_array(trim(both ',' FROM written), ','))"
        cursor.execute(
            f"""CREATE OR REPLACE FUNCTION {quote(RAISE)}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            DECLARE written text := coalesce(current_setting('{SETTING}', true), '');
            BEGIN
              IF written <> '' THEN
                PERFORM set_config('{SETTING}', '', true);
                {upsert.format(seq=SEQUENCE, tables=tables)};
              END IF;
              RETURN NULL;
            END $$"""
        )
        cursor.execute(
            f"""CREATE OR REPLACE FUNCTION {quote(RAISE_TRUNCATED)}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
              {upsert.format(seq=SEQUENCE, tables="SELECT TG_TABLE_NAME::text")};
              RETURN NULL;
            END $$"""
        )
        _drop_triggers(db, cursor)
        for table, columns in sorted(wanted.items()):
            writes = _writes(db, columns)
            cursor.execute(
                f"CREATE TRIGGER {quote(NOTED)} AFTER {writes} ON {quote(table)} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {quote(NOTE)}()"
            )
            cursor.execute(
                f"CREATE CONSTRAINT TRIGGER {quote(TRIGGER)} AFTER {writes} ON {quote(table)} "
                f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {quote(RAISE)}()"
            )
            cursor.execute(
                f"CREATE TRIGGER {quote(TRUNCATED)} AFTER TRUNCATE ON {quote(table)} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {quote(RAISE_TRUNCATED)}()"
            )


def _install_sqlite(db, wanted: dict, versions: str) -> None:
    quote = db.ops.quote_name
    with db.cursor() as cursor:
        _drop_triggers(db, cursor)
        for table, columns in sorted(wanted.items()):
            for event in ("INSERT", "UPDATE", "DELETE"):
                name = f"{TRIGGER}_{event.lower()}_{table}"
                if event == "UPDATE" and columns is not None:
                    event = "UPDATE OF " + ", ".join(quote(c) for c in sorted(columns))
                cursor.execute(
                    f"CREATE TRIGGER {quote(name)} AFTER {event} ON {quote(table)} BEGIN "
                    f'INSERT INTO {quote(versions)} ("table", version) '
                    f"VALUES ('{table}', random()) "
                    f'ON CONFLICT ("table") DO UPDATE SET version = excluded.version; END'
                )


def remove_triggers(db) -> None:
    """Take the triggers off every table (a migration taking the versions table away)."""
    quote = db.ops.quote_name
    with db.cursor() as cursor:
        _drop_triggers(db, cursor)
        if db.vendor == "postgresql":
            for function in (NOTE, RAISE, RAISE_TRUNCATED):
                cursor.execute(f"DROP FUNCTION IF EXISTS {quote(function)}()")
            cursor.execute(f"DROP SEQUENCE IF EXISTS {quote(SEQUENCE)}")


def _drop_triggers(db, cursor) -> None:
    """Take the version triggers off every table that has them."""
    quote = db.ops.quote_name
    if db.vendor == "postgresql":
        for name in (NOTED, TRIGGER, TRUNCATED):
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = %s",
                [name],
            )
            for (table,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {quote(name)} ON {quote(table)}")
    elif db.vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
            [f"{TRIGGER}%"],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP TRIGGER IF EXISTS {quote(name)}")
