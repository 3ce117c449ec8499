"""An outsider's tests of choosing a list's page before its rows are joined
(core.tables.PageFirstData) and of the search choosing its first results the same way
(search.selectors.search): against plain slicing of the same sorted query, for every list, every
sortable column in both directions, the filters that join many-valued relations, odd page
numbers, the htmx refresh, readers below the hidden records' marking and two data sizes."""

import csv
import datetime
import io
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tables2.data import TableQuerysetData

from core.tables import PageFirstData
from followup.models import FollowUpAction
from search.selectors import LIMIT, search
from tests.followup.factories import (
    BenchmarkEventFactory,
    BenchmarkFactory,
    FollowUpActionFactory,
    FollowUpProjectFactory,
)
from tests.rounds.factories import (
    AgendaItemFactory,
    CaseOfConcernFactory,
    CaseRaisingFactory,
    CommitmentFactory,
    DialogueFactory,
    RoundFactory,
    TopicFactory,
)
from tests.stakeholders.factories import ConsultationFactory, OrganizationFactory, PersonFactory
from tests.world import HIDDEN, mixed_world

pytestmark = pytest.mark.django_db

LISTS = [
    "rounds:round_list",
    "rounds:topic_list",
    "rounds:case_list",
    "followup:project_list",
    "followup:action_list",
    "followup:action_overdue",
    "followup:benchmark_list",
    "stakeholders:organization_list",
    "stakeholders:person_list",
    "stakeholders:consultation_list",
]
EVERY_ROLE = ("officer", "planner", "analyst", "case_officer", "administrator")
HX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}


def world(scale=1):
    """Records of every listed kind with many ties in every sortable column, and the
    many-valued relations the filters join (topics, partners, organizations)."""
    dialogues = [DialogueFactory() for _ in range(3)]
    orgs = [OrganizationFactory() for _ in range(4)]
    topics = [TopicFactory() for _ in range(4)]
    rounds = []
    for i in range(30 * scale):
        round_ = RoundFactory(
            dialogue=dialogues[i % 3], start_date=datetime.date(2000 + i % 4, 1, 1), number=i
        )
        rounds.append(round_)
        AgendaItemFactory(round=round_, topics=topics[: i % 4])
    projects = [
        FollowUpProjectFactory(title=f"P{i % 4}", lead_agency=orgs[i % 4])
        for i in range(30 * scale)
    ]
    for project in projects[:10]:
        project.topics.set(topics[:3])
        project.partner_organizations.set(orgs[:3])
        project.originating_rounds.set(rounds[:3])
    for i in range(60 * scale):
        FollowUpActionFactory(
            title=f"A{i % 5}",
            round=rounds[i % len(rounds)],
            project=projects[i % 7] if i % 3 else None,
            owner_organization=orgs[i % 4] if i % 2 else None,
            due_date=datetime.date(2004, 1, 1 + i % 6),
        )
    for i in range(30 * scale):
        benchmark = BenchmarkFactory()
        for _ in range(i % 3):
            BenchmarkEventFactory(benchmark=benchmark)
        benchmark.topics.set(topics[: i % 3])
        OrganizationFactory(parent=orgs[i % 2] if i % 2 else None)
        PersonFactory(full_name=f"Pe {i % 3}", organization=orgs[i % 4])
        consultation = ConsultationFactory(
            dialogue=dialogues[i % 3],
            round=rounds[i] if i % 2 else None,
            date=datetime.date(2001, 1, 1 + i % 3),
            location="A hall",
        )
        consultation.organizations.set(orgs[: i % 3])
        CaseRaisingFactory(case=CaseOfConcernFactory(), round=rounds[i % 5])
    return {"dialogues": dialogues, "orgs": orgs, "topics": topics}


def page_rows(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    table = response.context["table"]
    assert HIDDEN not in response.text, url
    return [row.record.pk for row in table.page.object_list], table


def both(client, monkeypatch, url, **headers):
    new, table = page_rows(client, url, **headers)
    with monkeypatch.context() as patch:
        patch.setattr(PageFirstData, "__getitem__", TableQuerysetData.__getitem__)
        old, _ = page_rows(client, url, **headers)
    return new, old, table


@pytest.fixture
def whole_order(monkeypatch):
    """Rows alike in a list's order ordered by their key, for the comparisons with plain
    slicing: which of the tied rows a page holds is otherwise the database's choice, and may
    differ between two plans that are both right."""
    order_by = TableQuerysetData.order_by

    def with_key(self, aliases):
        order_by(self, aliases)
        self.data = self.data.order_by(*self.data.query.order_by, "pk")

    monkeypatch.setattr(TableQuerysetData, "order_by", with_key)


@pytest.fixture
def everyone(make_user):
    return make_user("boss", EVERY_ROLE)


@pytest.fixture
def low(make_user):
    return make_user("lou", EVERY_ROLE[:4], clearance="unclassified")


# -- defects ------------------------------------------------------------------------------------


@pytest.mark.parametrize("sort", ["title", "-title", "owner_organization", "-due_date"])
def test_the_pages_of_a_list_sorted_by_a_tied_column_hold_every_row_once(client, everyone, sort):
    """60 actions, 12 of each title: paging through them sorted by title must show each once.
    The order has no tie-breaker (the table's order_by is the column alone), so PostgreSQL
    breaks the ties one way for the first 25 (a top-N sort), another for rows 26 to 50 and
    another for the rest: a row shows on two pages and another on none. (As before the change:
    the page chosen in the subquery is chosen by the same tie-less order.)"""
    world()
    client.force_login(everyone)
    base = reverse("followup:action_list")
    seen = []
    for page in (1, 2, 3):
        rows, table = page_rows(client, f"{base}?sort={sort}&page={page}")
        seen += rows
    assert len(seen) == table.paginator.count == 60
    assert len(set(seen)) == 60, "a row shown twice, another never"


# -- edges that held ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["everyone", "low"])
def test_every_list_every_sort_shows_the_rows_plain_slicing_showed(
    client, monkeypatch, whole_order, request, who
):
    world()
    mixed_world()
    client.force_login(request.getfixturevalue(who))
    for name in LISTS:
        base = reverse(name)
        _, table = page_rows(client, base)
        columns = [column.name for column in table.columns if column.orderable]
        pages = (table.paginator.count + 24) // 25
        for column, sign in itertools.product(columns, ("", "-")):
            for page in range(1, pages + 1):
                url = f"{base}?sort={sign}{column}&page={page}"
                new, old, _ = both(client, monkeypatch, url)
                assert len(new) == len(set(new)), url
                assert new == old, url


FILTERED = {
    "rounds:round_list": ["topic={t}", "q=2001", "dialogue={d}&topic={t}"],
    "rounds:topic_list": ["dialogue={d}"],
    "rounds:case_list": ["dialogue={d}", "raised_at_least=1"],
    "followup:project_list": ["topic={t}", "partner={o}", "dialogue={d}", "topic={t}&partner={o}"],
    "followup:action_list": ["overdue=true", "mine=true", "status=open", "dialogue={d}"],
    "followup:benchmark_list": ["topic={t}"],
    "stakeholders:person_list": ["q=Organization"],
    "stakeholders:consultation_list": ["q=a", "dialogue={d}&q=hall"],
}


def test_filters_joining_many_valued_relations_sorted_and_paged(
    client, monkeypatch, whole_order, everyone
):
    """A filter on topics, partners or a dialogue through rounds joins many rows per record:
    DISTINCT, read by plain slicing. No page repeats a row, none is lost."""
    made = world()
    client.force_login(everyone)
    values = {"t": made["topics"][1].slug, "d": made["dialogues"][0].slug, "o": made["orgs"][0].pk}
    for name, filters in FILTERED.items():
        base = reverse(name)
        _, table = page_rows(client, base)
        columns = [column.name for column in table.columns if column.orderable]
        for query, column, sign in itertools.product(filters, columns[:2] + columns[-1:], "+-"):
            sign = "-" if sign == "-" else ""
            url = f"{base}?{query.format(**values)}&sort={sign}{column}&per_page=7"
            seen, count = [], None
            for page in itertools.count(1):
                new, old, table = both(client, monkeypatch, f"{url}&page={page}")
                assert new == old, url
                seen += new
                count = table.paginator.count
                if page >= table.paginator.num_pages:
                    break
            assert len(seen) == count, url


@pytest.mark.parametrize("page", ["999", "abc", "0", "-1", "last", "1.5", ""])
def test_odd_page_numbers_and_the_htmx_refresh(client, monkeypatch, whole_order, everyone, page):
    world()
    client.force_login(everyone)
    for name in LISTS:
        for headers in ({}, HX):
            url = f"{reverse(name)}?sort=-{'title' if 'action' in name else 'status'}&page={page}"
            new, old, _ = both(client, monkeypatch, url, **headers)
            assert new == old, url


def test_a_list_page_reads_as_many_queries_at_two_sizes(client, everyone):
    """Sorted by a related column and by an annotated count: as many queries for 30 records
    of a kind as for 60."""
    client.force_login(everyone)
    urls = [
        f"{reverse(name)}?sort={sort}&page=2"
        for name, sort in [
            ("followup:action_list", "-project"),
            ("followup:action_list", "owner_organization"),
            ("followup:project_list", "-action_count"),
            ("rounds:topic_list", "-times_raised"),
            ("rounds:topic_list", "name"),
            ("rounds:round_list", "topic_count"),
            ("followup:benchmark_list", "-event_count"),
            ("stakeholders:consultation_list", "-organization_count"),
            ("stakeholders:person_list", "organization"),
        ]
    ]

    def counts():
        found = {}
        for url in urls:
            client.get(url)  # sessions, caches
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found[url] = len(queries)
        return found

    world()
    small = counts()
    world()
    assert counts() == small


SEARCHED = [
    "a", "action", "open", "round", "A1", "Ottawa", "2000", "10", "round 10", "R10", "zzz",
    "a b c d e f g h", "' OR 1=1 --", "%", "_", "\\", "中国", "hidden", "zebrafinch",
    "CANARY-HIDDEN", "2001 Dialogue", "Topic",
]  # fmt: skip


@pytest.mark.parametrize("who", ["everyone", "low"])
def test_search_finds_what_it_found_before(request, monkeypatch, who):
    """The first results chosen in a subquery: the same records, in the same order, for each
    kind, as slicing the joined query; none above the reader's clearance."""
    from django.db.models import QuerySet

    mixed_world()
    for i in range(30):
        round_ = RoundFactory(start_date=datetime.date(2000 + i % 3, 1, 1))
        FollowUpActionFactory(title=f"A{i % 4} open action", round=round_)
        AgendaItemFactory(round=round_, title=f"Item {i % 3} round")
        CommitmentFactory(round=round_, text=f"Commitment {i % 2} round action")
        ConsultationFactory(location="Open city", dialogue=round_.dialogue, round=round_)
        PersonFactory(full_name=f"Action person {i % 5}")
    user = request.getfixturevalue(who)

    def shown(groups):
        return [(g.label, [(r.record.pk, r.url, str(r.text)) for r in g.results]) for g in groups]

    new = {q: shown(search(query=q, user=user)) for q in SEARCHED}
    # Before: `queryset.filter(pk__in=queryset.values("pk")[:LIMIT])` was not there.
    real_filter = QuerySet.filter

    def no_page_first(self, *args, **kwargs):
        chosen = kwargs.get("pk__in") if set(kwargs) == {"pk__in"} else None
        if getattr(chosen, "query", None) is not None and chosen.query.high_mark == LIMIT:
            return self
        return real_filter(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "filter", no_page_first)
    old = {q: shown(search(query=q, user=user)) for q in SEARCHED}
    monkeypatch.undo()
    assert new == old


def test_the_search_page_shows_no_hidden_record_to_a_low_reader(client, low):
    mixed_world()
    client.force_login(low)
    for query in ("a", "open", "hidden", "canary", "event", "round", "city", "commitment"):
        response = client.get(reverse("search"), {"q": query})
        assert response.status_code == 200
        assert "zebrafinch" not in response.text.lower(), query


@pytest.mark.parametrize("sort", ["due_date", "-due_date"])
def test_an_export_lists_tied_rows_in_the_pages_order(client, everyone, sort):
    """The CSV export holds every row in the order the pages show them, ties broken by the key
    as on the pages (it used to leave the ties to PostgreSQL). Ten actions share each due date
    and their titles differ, so rows tied in another order show as other titles."""
    world()
    client.force_login(everyone)
    base = reverse("followup:action_list")
    paged = []
    for page in (1, 2, 3):
        paged += page_rows(client, f"{base}?sort={sort}&page={page}")[0]
    titles = dict(FollowUpAction.objects.values_list("pk", "title"))
    export = client.get(f"{base}?sort={sort}&format=csv").content.decode("utf-8-sig")
    exported = [row[0] for row in csv.reader(io.StringIO(export))][1:]
    assert exported == [titles[pk] for pk in paged]
    assert len(exported) == 60
