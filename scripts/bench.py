"""`make bench [SCALE=1]`: time every page on PostgreSQL at a scale, and check the targets.

Builds two databases of synthetic data (`generate_demo_data`), one at SCALE and one at a tenth
of it, times every page on each with `python -m benchmarks.measure_pages` (median and p95 server
time, the page's SQL alone, and the Django admin changelist of the same model and filter),
prints a table, writes var/bench.json and exits non-zero when a target is missed. The targets:

- p95 at most 150 ms for every page, 300 ms for the continuity matrix, 500 ms for the briefing
  pack's Word document;
- the same number of queries at SCALE as at a tenth of it;
- every list page faster than its admin changelist;
- every list page's median at most 3× the anchor's, a plain Django `ListView` of 50 rounds with
  their dialogue and a minimal template (benchmarks/anchor.py), measured in the same run, the
  list page and the anchor requested in turn;
- every page's Python time (its server time less its time in the database, a median over the
  requests) at most 3× its time in the database (not the Word document, written in Python);
- an admin import of 1,000 agenda items (IMPORT_MAX_ROWS), preview and confirmation, in at most
  5 s, and saving a section of a round's recording page in at most 300 ms at p95
  (`python -m benchmarks.measure_import`).

`--reuse` keeps databases an earlier run built (quicker when only the code changed).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
TARGET_MS = {"topic_continuity": 300.0, "round_briefing_docx": 500.0}
DEFAULT_TARGET_MS = 150.0
MAX_OVER_ANCHOR = 3.0  # a list page's median, against the anchor's
MAX_PYTHON_OVER_SQL = 3.0
# Documents whose writing is the work itself (the briefing pack's Word document: the same reads
# as its page, then the document written in Python): held to their target, not to their SQL.
WRITTEN_IN_PYTHON = frozenset({"round_briefing_docx"})
# The pages of the reports kept once built (core/reportcache.py), timed built and as kept.
CACHED_REPORTS = (
    "dashboard",
    "round_briefing",
    "topic_continuity",
    "topic_overlap",
    "translation_gap",
    "engagement",
    "board",
    "coverage",
    "case_answers",
)


def database_url(scale: float) -> str:
    return f"{SERVER}/dialogue_bench_{str(scale).replace('.', '_')}"


def environment(url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-only-secret-key",
        "DEBUG": "false",
        "STATIC_MANIFEST": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SERVER_TIMING": "true",
        "ALLOWED_HOSTS": "testserver",
        "DB_CONN_MAX_AGE": "60",  # as served: one connection a worker, kept
        "LOG_LEVEL": "WARNING",
        # Pages built fresh: no report is kept between the requests timed (core/reportcache.py).
        "REPORT_CACHE_SECONDS": "0",
    }


def manage(url: str, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment(url), check=True)


def run_module(url: str, module: str, *args: str, **env: str) -> None:
    """Run a module of benchmarks/ (left out of the production image) on this database."""
    subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env={**environment(url), **env},
        check=True,
    )


def build(scale: float, reuse: bool) -> str:
    url = database_url(scale)
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and reuse:
            print(f"Reusing {name}; migrating it.", flush=True)
            manage(url, "migrate", "--noinput", "-v", "0")
            return url
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    print(f"Building {name} (scale {scale}).", flush=True)
    manage(url, "migrate", "--noinput", "-v", "0")
    manage(url, "load_reference_data")
    manage(url, "generate_demo_data", "--scale", str(scale))
    # As autovacuum leaves a database that has been in use: statistics, visibility map and
    # hint bits set, so that the first pages timed do not pay for the bulk load.
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    return url


def measure(url: str, repeat: int, only: list[str] | None = None, **env: str) -> list[dict]:
    with tempfile.NamedTemporaryFile(suffix=".json") as output:
        chosen = ["--only", *only] if only else []
        run_module(
            url,
            "benchmarks.measure_pages",
            "--repeat",
            str(repeat),
            "--output",
            output.name,
            *chosen,
            **env,
        )
        return json.loads(Path(output.name).read_text(encoding="utf-8"))


def measure_import(url: str) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as output:
        run_module(url, "benchmarks.measure_import", "--rows", "1000", "--output", output.name)
        return json.loads(Path(output.name).read_text(encoding="utf-8"))


def misses(page: dict, anchor: dict) -> list[str]:
    found = []
    target = TARGET_MS.get(page["name"], DEFAULT_TARGET_MS)
    if page["p95_ms"] > target:
        found.append(f"p95 {page['p95_ms']} ms > {target:.0f} ms")
    if page["queries"] != page["queries_at_tenth_scale"]:
        found.append(f"{page['queries_at_tenth_scale']} queries at a tenth, {page['queries']} here")
    if page["admin_ratio"] is not None and page["admin_ratio"] >= 1:
        found.append(f"not faster than the admin ({page['admin_ratio']}×)")
    if page["kind"] == "list" and page["over_anchor"] > MAX_OVER_ANCHOR:
        found.append(
            f"median {page['paired_median_ms']} ms > {MAX_OVER_ANCHOR:.0f}× the anchor's "
            f"{page['paired_anchor_median_ms']} ms, timed in turn"
        )
    written = page["name"] in WRITTEN_IN_PYTHON
    if not written and page["python_ms"] > MAX_PYTHON_OVER_SQL * page["db_ms"]:
        found.append(
            f"Python {page['python_ms']} ms > {MAX_PYTHON_OVER_SQL:.0f}× SQL {page['db_ms']} ms"
        )
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=30, help="Requests per page.")
    parser.add_argument("--reuse", action="store_true", help="Keep databases already built.")
    parser.add_argument("--only", nargs="*", help="Time only these pages (and the anchor).")
    parser.add_argument("--output", default=str(ROOT / "var" / "bench.json"))
    options = parser.parse_args()

    tenth = round(options.scale / 10, 4)
    small = {page["name"]: page for page in measure(build(tenth, options.reuse), 3, options.only)}
    pages = measure(build(options.scale, options.reuse), options.repeat, options.only)
    for page in pages:
        page["queries_at_tenth_scale"] = small[page["name"]]["queries"]
    (anchor,) = [page for page in pages if page["kind"] == "anchor"]

    columns = (
        ("queries", 9),
        ("median", 8),
        ("p95", 8),
        ("SQL", 7),
        ("×SQL", 6),
        ("db", 7),
        ("Python", 7),
        ("×db", 5),
        ("anchor", 6),
        ("admin", 6),
    )
    header = f"{'page':22} " + " ".join(f"{name:>{width}}" for name, width in columns)
    print(f"\nScale {options.scale}: server time in ms over {options.repeat} requests\n{header}")
    failures = []
    for page in pages:
        over_sql = page["median_ms"] / page["sql_ms"] if page["sql_ms"] else float("inf")
        over_db = page["python_ms"] / page["db_ms"] if page["db_ms"] else float("inf")
        over_anchor = "" if page["kind"] != "list" else f"{page['over_anchor']:.2f}"
        admin = "" if page["admin_ratio"] is None else f"{page['admin_ratio']:.2f}"
        queries = f"{page['queries_at_tenth_scale']}→{page['queries']}"
        print(
            f"{page['name']:22} {queries:>9} {page['median_ms']:8.1f} {page['p95_ms']:8.1f} "
            f"{page['sql_ms']:7.1f} {over_sql:6.1f} {page['db_ms']:7.1f} {page['python_ms']:7.1f} "
            f"{over_db:5.1f} {over_anchor:>6} {admin:>6}"
        )
        if page["kind"] != "anchor":
            failures += [f"{page['name']}: {miss}" for miss in misses(page, anchor)]
    bound = MAX_OVER_ANCHOR * anchor["median_ms"]
    print(
        f"\nAnchor (a plain ListView of 50 rounds): median {anchor['median_ms']:.1f} ms; "
        f"a list page may take {MAX_OVER_ANCHOR:.0f}× that, {bound:.1f} ms.\nThe anchor column "
        "times each list page and the anchor in turn, request by request (each median over the "
        "anchor's): lists against the anchor above, "
        + ", ".join(
            f"{page['name']} {page['median_ms'] / anchor['median_ms']:.2f}"
            for page in pages
            if page["kind"] == "list"
        )
        + "."
    )

    # The same reports as served once kept (core/reportcache.py): the first request builds
    # each, the others are served as kept. Shown beside the targets, which are for pages built.
    kept_names = [name for name in CACHED_REPORTS if not options.only or name in options.only]
    kept = []
    if kept_names:
        kept = measure(
            database_url(options.scale),
            options.repeat,
            kept_names,
            REPORT_CACHE_SECONDS="600",
        )
        print("\nThe cached reports, served as kept: median / p95 in ms (built: median)")
        built_median = {page["name"]: page["median_ms"] for page in pages}
        for page in kept:
            if page["name"] in CACHED_REPORTS:
                print(
                    f"  {page['name']:22} {page['median_ms']:6.1f} / {page['p95_ms']:6.1f} "
                    f"({built_median[page['name']]:.1f})"
                )

    imported = measure_import(database_url(options.scale))
    print(
        f"\n{imported['name']}: {imported['total_s']:.2f} s "
        f"(preview {imported['preview_s']:.2f} s, confirmation {imported['confirm_s']:.2f} s, "
        f"{imported['queries']} queries); "
        f"target {imported['target_s']:.0f} s"
    )
    if imported["total_s"] > imported["target_s"]:
        failures.append(f"{imported['name']}: {imported['total_s']} s > {imported['target_s']} s")
    for saved in imported["saves"]:
        print(
            f"{saved['name']}: median {saved['median_ms']:.1f} ms, p95 {saved['p95_ms']:.1f} ms; "
            f"target {saved['target_ms']:.0f} ms"
        )
        if saved["p95_ms"] > saved["target_ms"]:
            failures.append(f"{saved['name']}: p95 {saved['p95_ms']} ms > {saved['target_ms']} ms")

    keys = ["name", "kind", "url", "queries", "queries_at_tenth_scale", "median_ms", "p95_ms"]
    keys += ["sql_ms", "db_ms", "python_ms"]
    report = {
        "scale": options.scale,
        "anchor_median_ms": anchor["median_ms"],
        "import": imported,
        "kept_reports": {
            page["name"]: {"median_ms": page["median_ms"], "p95_ms": page["p95_ms"]}
            for page in kept
            if page["name"] in CACHED_REPORTS
        },
        "pages": [
            {
                **{key: page[key] for key in keys},
                "admin_ratio": page["admin_ratio"],
                "admin_url": page["admin_url"],
                "admin_median_ms": page["admin_median_ms"],
                "paired_median_ms": page["paired_median_ms"],
                "paired_anchor_median_ms": page["paired_anchor_median_ms"],
                "over_anchor": page["over_anchor"],
            }
            for page in pages
        ],
    }
    Path(options.output).parent.mkdir(parents=True, exist_ok=True)
    Path(options.output).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nWrote {options.output}.")
    return verdict(failures)


def verdict(misses: list[str]) -> int:
    """Print the targets missed, or that every one was met; the exit status to return."""
    if misses:
        print("Targets missed:\n  " + "\n  ".join(misses))
        return 1
    print("Every target met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
