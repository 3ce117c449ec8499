"""Measure every page: its queries, its server time over repeated requests, the time of its SQL
alone (the floor no page can beat), and for list pages the Django admin changelist of the same
model and filter, measured in the same run. `scripts/bench.py` runs this at two scales.

Requests go through Django's test client, so the time is the server's alone: the middleware's
`Server-Timing` header gives the application's time (`app`) for each request and the part of it
spent in the database (`db`); the rest is the page's Python time.

The anchor (benchmarks/anchor.py), a plain Django `ListView` of 50 rounds with a minimal
template, is measured in the same run: what a list page costs beyond it is the project's own.
A list page is also timed against the anchor request by request, the two in turn: a machine
whose speed drifts in the minutes between the anchor's timing and the page's (as shared
machines do) would otherwise move the ratio by as much as the pages differ.

`measure_import` times the largest admin import allowed (IMPORT_MAX_ROWS agenda items, preview
and confirmation), against a target of five seconds.
"""

import io
import re
import statistics
import time
from dataclasses import asdict, dataclass

import tablib
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks import anchor
from core import roles
from core.models import SecurityMarking
from followup.models import Benchmark, FollowUpProject
from rounds.models import CaseOfConcern, Round, Topic
from stakeholders.models import Delegation, DelegationMember, Organization, Person

USERNAME = "bench"
APP_TIME = re.compile(r"app;dur=([\d.]+)")
DB_TIME = re.compile(r"db;dur=([\d.]+)")


@dataclass
class Page:
    name: str
    url: str
    admin_url: str | None = None


@dataclass
class Result:
    name: str
    url: str
    queries: int
    median_ms: float
    p95_ms: float
    sql_ms: float
    python_ms: float  # median of each request's time less its time in the database
    db_ms: float  # median of each request's time in the database
    admin_url: str | None
    admin_median_ms: float | None
    kind: str = "page"  # "list" for a list page (one with an admin counterpart), or "anchor"
    # A list page and the anchor timed in turn, request by request: both medians.
    paired_median_ms: float | None = None
    paired_anchor_median_ms: float | None = None

    @property
    def over_anchor(self) -> float | None:
        """A list page's median over the anchor's, timed in turn with it."""
        if self.paired_median_ms is None:
            return None
        return round(self.paired_median_ms / self.paired_anchor_median_ms, 2)

    @property
    def admin_ratio(self) -> float | None:
        if self.admin_median_ms is None:
            return None
        return round(self.median_ms / self.admin_median_ms, 2)

    def as_dict(self) -> dict:
        return {**asdict(self), "admin_ratio": self.admin_ratio, "over_anchor": self.over_anchor}


def bench_user():
    """One account in every role, cleared to Protected B, so every page answers."""
    user, _created = get_user_model().objects.get_or_create(
        username=USERNAME,
        defaults={"is_staff": True, "clearance": SecurityMarking.PROTECTED_B},
    )
    groups = Group.objects.filter(name__in=[*roles.ROLES, roles.ADMINISTRATORS])
    user.groups.set(groups)
    return user


def _most(queryset, relation):
    """The record with the most related rows: the heaviest page of its kind."""
    return queryset.annotate(n=Count(relation)).order_by("-n", "pk").first()


def pages() -> list[Page]:
    """Every page of the product, each at its heaviest record, with its admin counterpart."""
    round_ = _most(Round.objects.filter(status=Round.Status.HELD), "case_raisings")
    topic = _most(Topic.objects.all(), "agenda_items")
    organization = _most(Organization.objects.all(), "people")
    person = _most(Person.objects.all(), "delegation_memberships")
    project = _most(FollowUpProject.objects.all(), "actions")
    case = _most(CaseOfConcern.objects.all(), "raisings")
    benchmark = _most(Benchmark.objects.all(), "events")
    dialogue = round_.dialogue
    # A member of the largest delegation, opened on their own page.
    member = (
        DelegationMember.objects.filter(delegation=_most(Delegation.objects.all(), "members"))
        .select_related("delegation")
        .order_by("pk")
        .first()
    )
    admin = "/admin/"
    return [
        Page("dashboard", reverse("dashboard")),
        Page("search", reverse("search") + "?q=rights"),
        Page(
            "round_list",
            reverse("rounds:round_list") + f"?dialogue={dialogue.slug}",
            admin + f"rounds/round/?dialogue__id__exact={dialogue.pk}",
        ),
        Page("round_detail", round_.get_absolute_url()),
        Page("round_briefing", reverse("reports:round_briefing", args=[round_.pk])),
        Page(
            "round_briefing_docx",
            reverse("reports:round_briefing", args=[round_.pk]) + "?format=docx",
        ),
        Page("round_edit", reverse("rounds:round_edit", args=[round_.pk])),
        Page(
            "round_edit_row",
            reverse(
                "rounds:round_edit_row",
                args=[round_.pk, "agenda", _most(round_.agenda_items.all(), "topics").pk],
            ),
        ),
        Page("round_create", reverse("rounds:round_create") + f"?dialogue={dialogue.slug}"),
        Page("round_delegations", reverse("stakeholders:round_delegations", args=[round_.pk])),
        Page(
            "delegation_member",
            reverse(
                "stakeholders:delegation_member",
                args=[member.delegation.round_id, member.delegation.side, member.pk],
            ),
        ),
        Page("dialogue_detail", dialogue.get_absolute_url()),
        Page("topic_list", reverse("rounds:topic_list"), admin + "rounds/topic/"),
        Page("topic_detail", topic.get_absolute_url()),
        Page("topic_continuity", reverse("reports:topic_continuity")),
        Page("topic_overlap", reverse("reports:topic_overlap")),
        Page("translation_gap", reverse("reports:translation_gap")),
        Page(
            "organization_list",
            reverse("stakeholders:organization_list"),
            admin + "stakeholders/organization/",
        ),
        Page("organization_detail", organization.get_absolute_url()),
        Page("person_list", reverse("stakeholders:person_list"), admin + "stakeholders/person/"),
        Page("person_detail", person.get_absolute_url()),
        Page(
            "consultation_list",
            reverse("stakeholders:consultation_list"),
            admin + "stakeholders/consultation/",
        ),
        Page("engagement", reverse("reports:engagement")),
        Page(
            "project_list",
            reverse("followup:project_list"),
            admin + "followup/followupproject/",
        ),
        Page("project_detail", project.get_absolute_url()),
        Page(
            "action_list",
            reverse("followup:action_list") + "?status=open",
            admin + "followup/followupaction/?status__exact=open",
        ),
        Page("action_overdue", reverse("followup:action_overdue")),
        Page("action_mine", reverse("followup:action_list") + "?mine=true"),
        Page("board", reverse("followup:board")),
        Page("coverage", reverse("reports:coverage")),
        Page(
            "benchmark_list",
            reverse("followup:benchmark_list"),
            admin + "followup/benchmark/",
        ),
        Page("benchmark_detail", benchmark.get_absolute_url()),
        Page("project_create", reverse("followup:project_create")),
        Page("action_create", reverse("followup:action_create") + f"?round={round_.pk}"),
        Page("case_list", reverse("rounds:case_list"), admin + "rounds/caseofconcern/"),
        Page("case_detail", case.get_absolute_url()),
        Page("case_answers", reverse("reports:case_answers")),
        Page(
            "api_round_list",
            "/api/v1/rounds/?dialogue=" + dialogue.slug,
            admin + f"rounds/round/?dialogue__id__exact={dialogue.pk}",
        ),
    ]


def _app_ms(response) -> float:
    return float(APP_TIME.search(response["Server-Timing"]).group(1))


def _db_ms(response) -> float:
    return float(DB_TIME.search(response["Server-Timing"]).group(1))


def _timed(client, url, repeat) -> list[tuple[float, float]]:
    """Each request's time in the application and in the database."""
    client.get(url)  # warm the caches a running server would have warm
    times = []
    for _ in range(repeat):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        times.append((_app_ms(response), _db_ms(response)))
    return times


def _times(client, url, repeat) -> list[float]:
    return [app for app, _db in _timed(client, url, repeat)]


def _in_turn(client, urls, repeat) -> list[list[float]]:
    """Each page's application times, the pages requested in turn `repeat` times."""
    for url in urls:
        client.get(url)
    times = [[] for _url in urls]
    for _ in range(repeat):
        for url, kept in zip(urls, times, strict=True):
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            kept.append(_app_ms(response))
    return times


def _sql_ms(client, url, repeat) -> tuple[int, float]:
    """Run the page to capture its SQL, then the SQL alone, `repeat` times.

    The page runs twice and the shorter capture is kept: once a minute a request also saves
    the session (SESSION_REFRESH_SECONDS), and a run that fell on it would count those writes as
    the page's, at one scale and not the other. Two requests in a row cannot both fall on it."""
    captures = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        captures.append([q["sql"] for q in captured.captured_queries])
    statements = min(captures, key=len)
    totals = []
    for _ in range(repeat):
        with transaction.atomic():
            started = time.perf_counter()
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
                    if cursor.description:
                        cursor.fetchall()
            totals.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
    return len([sql for sql in statements if not _logs_reading(sql)]), statistics.median(totals)


def _logs_reading(sql: str) -> bool:
    """The access-log entry of a page that showed Protected B records (core/reading.py),
    and the content type it names, read once a process: one write, whichever records a page
    happens to show, at any size, so the fixed count of a page's queries leaves it out."""
    return '"dialogue_accesslogentry"' in sql or 'FROM "django_content_type"' in sql


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18]


def measure(*, repeat: int = 30, only: list[str] | None = None, log=None) -> list[Result]:
    """The anchor first, then every page (or those named in `only`)."""
    client = Client()
    client.force_login(bench_user())
    results = []
    # The project's URLs and the anchor's: the anchor is reachable in this run alone.
    with override_settings(ROOT_URLCONF=anchor.URLCONF):
        for page in [Page("anchor", anchor.URL), *pages()]:
            if only and page.name not in only and page.name != "anchor":
                continue
            result = _measure_page(client, page, repeat)
            if log:
                log(result)
            results.append(result)
    return results


def _measure_page(client, page: Page, repeat: int) -> Result:
    timed = _timed(client, page.url, repeat)
    queries, sql_ms = _sql_ms(client, page.url, max(5, repeat // 3))
    admin_median = paired = paired_anchor = None
    if page.admin_url:
        admin_median = statistics.median(_times(client, page.admin_url, repeat))
        anchor_times, page_times = _in_turn(client, [anchor.URL, page.url], repeat)
        paired, paired_anchor = statistics.median(page_times), statistics.median(anchor_times)
    times = [app for app, _db in timed]
    return Result(
        name=page.name,
        url=page.url,
        queries=queries,
        median_ms=round(statistics.median(times), 1),
        p95_ms=round(p95(times), 1),
        sql_ms=round(sql_ms, 1),
        python_ms=round(statistics.median(app - db for app, db in timed), 1),
        db_ms=round(statistics.median(db for _app, db in timed), 1),
        admin_url=page.admin_url,
        admin_median_ms=None if admin_median is None else round(admin_median, 1),
        kind="anchor" if page.name == "anchor" else "list" if page.admin_url else "page",
        paired_median_ms=None if paired is None else round(paired, 1),
        paired_anchor_median_ms=None if paired_anchor is None else round(paired_anchor, 1),
    )


# -- an admin import at the largest size allowed ---------------------------------------------------

IMPORT_TARGET_S = 5.0
HIDDEN_INPUT = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')


def measure_import(*, rows: int = 1000) -> dict:
    """Import `rows` agenda items through the admin as a person does, the preview (a dry run
    of every row) then the confirmation, and time both; the import is rolled back after."""
    from django.contrib.admin import site

    from core.spreadsheets import LimitedCSV
    from rounds.models import AgendaItem

    round_ = Round.objects.select_related("dialogue").order_by("pk").first()
    slugs = list(Topic.objects.order_by("pk").values_list("slug", flat=True)[:3])
    data = tablib.Dataset(
        *[
            (
                f"{round_.dialogue.slug}:{round_.number}",
                f"Benchmark agenda item {n}",
                ";".join(slugs[: 1 + n % len(slugs)]),
                "thematic",
                "A summary of what was said, as long as a real one often is. " * 3,
            )
            for n in range(rows)
        ],
        headers=["round", "title", "topics", "segment", "summary"],
    )
    upload = io.BytesIO(data.export("csv").encode())
    upload.name = "agenda-items.csv"
    formats = site.get_model_admin(AgendaItem).get_import_formats()
    client = Client()
    client.force_login(bench_user())
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with transaction.atomic(), connection.execute_wrapper(count):
        started = time.perf_counter()
        preview = client.post(
            reverse("admin:rounds_agendaitem_import"),
            {"import_file": upload, "format": formats.index(LimitedCSV), "resource": 0},
        )
        previewed = time.perf_counter()
        confirm = dict(HIDDEN_INPUT.findall(preview.text))
        if "import_file_name" not in confirm:
            raise RuntimeError("the import preview offered no confirmation; see its errors")
        done = client.post(reverse("admin:rounds_agendaitem_process_import"), confirm)
        finished = time.perf_counter()
        imported = AgendaItem.objects.filter(title__startswith="Benchmark agenda item").count()
        transaction.set_rollback(True)
    if done.status_code != 302 or imported != rows:
        raise RuntimeError(f"the import answered {done.status_code} and made {imported} rows")
    return {
        "name": f"import_{rows}_rows",
        "rows": rows,
        "preview_s": round(previewed - started, 2),
        "confirm_s": round(finished - previewed, 2),
        "total_s": round(finished - started, 2),
        "queries": len(queries),
        "target_s": IMPORT_TARGET_S,
    }


# -- saving a section of a round's recording page -------------------------------------------

SAVE_TARGET_MS = 300.0


def _section_data(form, **changes) -> dict:
    """What the browser sends back for a section's form or formset, with `changes`."""
    parts = [form] if not hasattr(form, "management_form") else [form.management_form, *form]
    data = {}
    for part in parts:
        for field in part:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = value if isinstance(value, list) else str(value)
    data.update(changes)
    return data


def measure_saves(*, repeat: int = 20) -> list[dict]:
    """Save the details and the agenda of the round with the longest agenda through the
    recording page, `repeat` times each, and time the server; rolled back after."""
    from rounds.forms import AgendaFormSet, RoundForm
    from rounds.models import AgendaItem

    user = bench_user()
    client = Client()
    client.force_login(user)
    round_ = _most(Round.objects.all(), "agenda_items")
    results = []
    with transaction.atomic():
        for section in ("details", "agenda"):
            times = []
            for n in range(repeat + 1):
                round_.refresh_from_db()
                if section == "details":
                    form = RoundForm(instance=round_, user=user, prefix="round")
                    data = _section_data(form, **{"round-summary": f"Saved {n} times"})
                else:
                    items = AgendaItem.objects.filter(round=round_).prefetch_related("topics")
                    form = AgendaFormSet(
                        instance=round_, user=user, prefix="agenda", queryset=items
                    )
                    data = _section_data(form, **{"agenda-0-summary": f"Saved {n} times"})
                url = reverse("rounds:round_edit_section", args=[round_.pk, section])
                response = client.post(url, data)
                if response.status_code != 302:
                    raise RuntimeError(f"saving {section} answered {response.status_code}")
                if n:  # the first warms the caches
                    times.append(_app_ms(response))
            results.append(
                {
                    "name": f"round_edit_save_{section}",
                    "median_ms": round(statistics.median(times), 1),
                    "p95_ms": round(p95(times), 1),
                    "target_ms": SAVE_TARGET_MS,
                }
            )
        transaction.set_rollback(True)
    return results
