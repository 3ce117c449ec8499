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
  tables). A trigger on each declared table gives it a new version, from a sequence on
  PostgreSQL (a random number on SQLite), for every statement that writes to it, in the
  writer's transaction: whoever writes (a form, the admin, an import, the API, a script in SQL),
  readers see the new version when they see the new rows. `install_triggers` puts the triggers
  on the declared tables after every migrate.

What a cached report read is kept with it (core/reading.py) and noted again each time it is
served, so that the page's marking banner and the access log of Protected B reads are as if it
had been built again. REPORT_CACHE_SECONDS bounds how long a report is kept (0: never kept,
every report built for its request, as `make bench` measures them).

A writer holds its tables' version rows until it commits: two transactions writing the same
declared table take turns, as they would for the same record.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core import reading

CACHE = "reports"
TRIGGER = "dialogue_table_version"
FUNCTION = "dialogue_raise_table_version"
SEQUENCE = "dialogue_table_version_seq"

reports: dict[str, "CachedReport"] = {}


@dataclass(frozen=True)
class CachedReport:
    """A report that may be served again, and the models whose tables it reads."""

    name: str
    models: tuple

    @cached_property
    def tables(self) -> tuple[str, ...]:
        tables = set()
        for model in self.models:
            tables.add(model._meta.db_table)
            for field in model._meta.local_many_to_many:
                tables.add(field.remote_field.through._meta.db_table)
        return tuple(sorted(tables))


def declare(name: str, *models) -> CachedReport:
    """Declare a cached report and every model it reads (their many-to-many tables come too)."""
    report = CachedReport(name, tuple(models))
    known = reports.get(name)
    if known is not None and known != report:
        raise ValueError(f"Two cached reports are named {name!r}.")
    reports[name] = report
    return report


def declared_tables() -> set[str]:
    """Every table a declared report reads, once each app's `caching` module is imported."""
    autodiscover_modules("caching")
    return {table for report in reports.values() for table in report.tables}


def cached_html(request, report: CachedReport, *, build: Callable[[], str]) -> SafeString:
    """The report's HTML: as kept for this reader and these data, else built by `build` and
    kept. Call it after the view has checked the reader; `build` renders the report's part of
    the page (it must hold no form token: the part is served to other readers)."""
    seconds = settings.REPORT_CACHE_SECONDS
    if seconds <= 0:
        return mark_safe(built(report, build))
    cache = caches[CACHE]
    key = _key(request, report)
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


def _key(request, report: CachedReport) -> str:
    user = request.user
    versions = _versions(report.tables)
    parts = [
        report.name,
        request.get_full_path(),
        get_language() or "",
        getattr(user, "clearance", ""),
        str(user.is_superuser),
        ",".join(sorted(getattr(user, "role_names", ()))),
        ",".join(sorted(user.get_all_permissions())),
        timezone.localdate().isoformat(),
        ",".join(f"{table}={versions.get(table, 0)}" for table in report.tables),
    ]
    digest = hashlib.blake2b("\n".join(parts).encode(), digest_size=20).hexdigest()
    return f"report:{report.name}:{digest}"


def _versions(tables) -> dict[str, int]:
    from core.models import TableVersion

    return dict(TableVersion.objects.filter(table__in=tables).values_list("table", "version"))


# -- the triggers ----------------------------------------------------------------------------------


def install_triggers(using=None, **kwargs) -> None:
    """Put the version trigger on every declared table (after every migrate), and take it off
    tables no report declares any more."""
    from django.db import connections

    from core.models import TableVersion

    db = connections[using or "default"]
    versions = TableVersion._meta.db_table
    existing = set(db.introspection.table_names())
    if versions not in existing:
        return  # migrating backwards, below the migration that makes the table
    wanted = declared_tables() & existing
    quote = db.ops.quote_name
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {quote(SEQUENCE)}")
            cursor.execute(
                f"""CREATE OR REPLACE FUNCTION {quote(FUNCTION)}() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                  INSERT INTO {quote(versions)} ("table", version)
                  VALUES (TG_TABLE_NAME, nextval('{SEQUENCE}'))
                  ON CONFLICT ("table") DO UPDATE SET version = EXCLUDED.version;
                  RETURN NULL;
                END $$"""
            )
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = %s",
                [TRIGGER],
            )
            for (table,) in cursor.fetchall():
                if table not in wanted:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {quote(TRIGGER)} ON {quote(table)}")
            for table in sorted(wanted):
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {quote(TRIGGER)} "
                    f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quote(table)} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {quote(FUNCTION)}()"
                )
        elif db.vendor == "sqlite":
            cursor.execute(
                "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{TRIGGER}%"],
            )
            for name, table in cursor.fetchall():
                if table not in wanted:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {quote(name)}")
            for table in sorted(wanted):
                for event in ("INSERT", "UPDATE", "DELETE"):
                    name = f"{TRIGGER}_{event.lower()}_{table}"
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {quote(name)} AFTER {event} "
                        f"ON {quote(table)} BEGIN "
                        f'INSERT INTO {quote(versions)} ("table", version) '
                        f"VALUES ('{table}', random()) "
                        f'ON CONFLICT ("table") DO UPDATE SET version = excluded.version; END'
                    )


def remove_triggers(db) -> None:
    """Take the triggers off every table (a migration taking the versions table away)."""
    quote = db.ops.quote_name
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = %s",
                [TRIGGER],
            )
            for (table,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {quote(TRIGGER)} ON {quote(table)}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {quote(FUNCTION)}()")
            cursor.execute(f"DROP SEQUENCE IF EXISTS {quote(SEQUENCE)}")
        elif db.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{TRIGGER}%"],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {quote(name)}")
