"""`make loadtest [SCALE=1]`: gunicorn under a mix of signed-in page views, driven by locust.

Builds (or reuses) the benchmark's PostgreSQL database at SCALE, prepares accounts and the
addresses of real records, starts gunicorn on loopback with 2 × cores workers and the
production settings (plain HTTP on loopback, so cookies are not marked Secure), and runs locust
headless for a bounded time. Prints throughput and p50/p95/p99, writes var/loadtest.json and
exits non-zero when a target is missed: at least 60 requests/s with p95 at most 300 ms and no
errors.
"""

import argparse
import csv
import json
import multiprocessing
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench

ROOT = bench.ROOT
VAR = ROOT / "var"
TARGET_RPS = 60  # no page cache; the slow reports are kept once built (core/reportcache.py)
TARGET_P95_MS = 300
ACCOUNTS = 8
SAMPLE = 200  # records of each kind the visitors pick from


def prepare(output: str, visitors: int) -> None:
    """Inside Django: a signed-in session for each visitor, and for each kind of page the
    addresses to visit. Sessions are made here rather than through the login form: signing in
    hashes the password on purpose slowly (a second of CPU), and a visitor signs in once a day,
    not once a minute."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialogue.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.urls import reverse

    from core import roles
    from core.models import SecurityMarking
    from followup.models import FollowUpAction, FollowUpProject
    from rounds.models import AgendaItem, CaseOfConcern, CaseRaising, Dialogue, Round, Topic
    from stakeholders.models import Organization, Person

    groups = Group.objects.filter(name__in=list(roles.ROLES))
    sessions = []
    for n in range(ACCOUNTS):
        user, _created = get_user_model().objects.get_or_create(username=f"loadtest-{n}")
        user.clearance = SecurityMarking.PROTECTED_B
        user.set_unusable_password()
        user.save()
        user.groups.set(groups)
        for _visitor in range(n, visitors, ACCOUNTS):
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "core.backends.PermissionBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            sessions.append(session.session_key)

    rng = random.Random(2005)

    def sample(queryset, url=lambda obj: obj.get_absolute_url()):
        pks = list(queryset.values_list("pk", flat=True))
        chosen = rng.sample(pks, k=min(SAMPLE, len(pks)))
        return [url(obj) for obj in queryset.model.objects.filter(pk__in=chosen)]

    dialogues = list(Dialogue.objects.values_list("slug", flat=True))
    held = Round.objects.filter(status=Round.Status.HELD)
    words = ["rights", "prison", "court", "women", "legal aid", "torture", "press", "lawyers"]
    pages = {
        # name: (weight, addresses)
        "dashboard": (10, [reverse("dashboard")]),
        "rounds, by dialogue": (
            8,
            [reverse("rounds:round_list") + f"?dialogue={slug}" for slug in dialogues],
        ),
        "round": (15, sample(Round.objects.all())),
        "briefing pack": (
            2,
            sample(held, lambda r: reverse("reports:round_briefing", args=[r.pk])),
        ),
        "dialogue": (3, [reverse("rounds:dialogue_detail", args=[slug]) for slug in dialogues]),
        "topics": (4, [reverse("rounds:topic_list")]),
        "topic": (8, sample(Topic.objects.all())),
        "continuity": (2, [reverse("reports:topic_continuity")]),
        "overlap": (1, [reverse("reports:topic_overlap")]),
        "search": (6, [reverse("search") + f"?q={word}" for word in words]),
        "organization": (3, sample(Organization.objects.all())),
        "person": (3, sample(Person.objects.all())),
        "projects": (5, [reverse("followup:project_list")]),
        "project": (10, sample(FollowUpProject.objects.all())),
        "my actions": (5, [reverse("followup:action_list") + "?mine=true"]),
        "overdue actions": (3, [reverse("followup:action_overdue")]),
        "board": (2, [reverse("followup:board")]),
        "coverage": (1, [reverse("reports:coverage")]),
        "cases": (2, [reverse("rounds:case_list")]),
        "case": (3, sample(CaseOfConcern.objects.all())),
        "API: rounds": (3, [f"/api/v1/rounds/?dialogue={slug}" for slug in dialogues]),
    }
    # What the editor saves, in turn: the records people edit most.
    edited = [
        (FollowUpAction, "status"),
        (FollowUpProject, "status"),
        (AgendaItem, "title"),
        (CaseRaising, "response"),
        (Organization, "name"),
    ]
    writes = [
        {
            "table": model._meta.db_table,
            "column": model._meta.get_field(field).column,
            "ids": rng.sample(
                list(model.objects.values_list("pk", flat=True)),
                k=min(SAMPLE, model.objects.count()),
            ),
        }
        for model, field in edited
    ]
    plan = {
        "cookie": settings.SESSION_COOKIE_NAME,
        "sessions": sessions,
        "writes": [write for write in writes if write["ids"]],
        "pages": [
            {"name": name, "weight": weight, "urls": urls}
            for name, (weight, urls) in pages.items()
            if urls
        ],
    }
    Path(output).write_text(json.dumps(plan, indent=1), encoding="utf-8")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(url: str, port: int, workers: int) -> dict:
    return {
        **bench.environment(url),
        "ALLOWED_HOSTS": "127.0.0.1",
        "PORT": str(port),
        "GUNICORN_WORKERS": str(workers),
        # Plain HTTP on loopback: cookies marked Secure would never be sent back.
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        # As served: the slow reports are kept once built (core/reportcache.py), unlike the
        # benchmark's pages, timed as built.
        "REPORT_CACHE_SECONDS": os.environ.get("REPORT_CACHE_SECONDS", "600"),
    }


def wait_until_up(port: int, server: subprocess.Popen) -> None:
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {server.returncode}); see its log.")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz within a minute.")


def summary(prefix: Path) -> dict:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    total = rows["Aggregated"]
    return {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "requests_per_s": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "pages": {
            name: {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
            }
            for name, row in rows.items()
            if name != "Aggregated"
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--users", type=int, default=120, help="Simultaneous visitors.")
    parser.add_argument("--duration", type=int, default=60, help="Seconds measured.")
    parser.add_argument(
        "--warmup",
        type=int,
        default=120,
        help="Seconds in which the visitors arrive, not measured: a server that has just "
        "started is cold (its workers' imports and connections, PostgreSQL's buffers), one "
        "that has run for a while has read most of the records people read.",
    )
    parser.add_argument(
        "--write-every",
        type=float,
        default=30.0,
        help="Seconds between the editor's saves (0: readers only). 30 s is 120 saves an hour: "
        "more than a ministry's dialogue officers, planners and case officers make together.",
    )
    parser.add_argument("--workers", type=int, default=2 * multiprocessing.cpu_count())
    parser.add_argument("--fresh", action="store_true", help="Rebuild the database.")
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.prepare:
        prepare(options.prepare, options.users)
        return 0

    VAR.mkdir(exist_ok=True)
    url = bench.build(options.scale, reuse=not options.fresh)
    plan_path = VAR / "loadtest-plan.json"
    subprocess.run(
        [sys.executable, __file__, "--prepare", str(plan_path), "--users", str(options.users)],
        cwd=ROOT,
        env=bench.environment(url),
        check=True,
    )
    port = free_port()
    log = open(VAR / "loadtest-gunicorn.log", "w", encoding="utf-8")  # noqa: SIM115
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "gunicorn.conf.py",
            "--access-logformat",
            '"%(r)s" %(s)s %(M)sms %({server-timing}o)s',
            "dialogue.wsgi",
        ],
        cwd=ROOT,
        env=server_environment(url, port, options.workers),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    prefix = VAR / "loadtest"
    try:
        wait_until_up(port, server)
        print(
            f"gunicorn: {options.workers} workers on 127.0.0.1:{port}; locust: "
            f"{options.users} visitors arriving over {options.warmup} s, then measured for "
            f"{options.duration} s; an editor saves a record every {options.write_every} s.",
            flush=True,
        )
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "scripts" / "locustfile.py"),
                "--headless",
                "--users",
                str(options.users + (1 if options.write_every > 0 else 0)),
                "--spawn-rate",
                str(max(1.0, options.users / max(1, options.warmup))),
                "--run-time",
                f"{options.warmup + options.duration}s",
                "--reset-stats",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "LOADTEST_PLAN": str(plan_path),
                "LOADTEST_DATABASE_URL": url,
                "LOADTEST_WRITE_EVERY": str(options.write_every),
            },
            check=False,
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        log.close()

    result = {
        "scale": options.scale,
        "users": options.users,
        "workers": options.workers,
        "warmup_s": options.warmup,
        "duration_s": options.duration,
        "write_every_s": options.write_every,
    }
    result.update(summary(prefix))
    (VAR / "loadtest.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"\n{result['requests']} requests, {result['failures']} errors: "
        f"{result['requests_per_s']} requests/s, p50 {result['p50_ms']:.0f} ms, "
        f"p95 {result['p95_ms']:.0f} ms, p99 {result['p99_ms']:.0f} ms. Wrote var/loadtest.json."
    )
    misses = []
    if result["requests_per_s"] < TARGET_RPS:
        misses.append(f"{result['requests_per_s']} requests/s < {TARGET_RPS}")
    if result["p95_ms"] > TARGET_P95_MS:
        misses.append(f"p95 {result['p95_ms']:.0f} ms > {TARGET_P95_MS} ms")
    if result["failures"]:
        misses.append(f"{result['failures']} errors")
    return bench.verdict(misses)


if __name__ == "__main__":
    sys.exit(main())
