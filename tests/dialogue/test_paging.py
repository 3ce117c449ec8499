"""Report rows built a page at a time (core/paging.py): a page reads its own records only."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.paging import PagedRows
from rounds.models import Round
from tests.rounds.factories import RoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds():
    return [RoundFactory() for _ in range(5)]


def paged(ids, then=None):
    return PagedRows(ids, Round.objects.all(), lambda round_: ("row", round_.pk), then=then)


def test_a_page_reads_its_own_records_in_the_order_given_in_one_query(rounds):
    ids = [r.pk for r in reversed(rounds)]
    rows = paged(ids)
    with CaptureQueriesContext(connection) as queries:
        assert len(rows) == 5  # counted from the ids
        page = Paginator(rows, 2).get_page(2)
        assert list(page) == [("row", pk) for pk in ids[2:4]]
    assert len(queries) == 1
    assert str(ids[2]) in queries[0]["sql"] and str(ids[0]) not in queries[0]["sql"]


def test_the_whole_and_one_row(rounds):
    ids = [r.pk for r in rounds]
    assert list(paged(ids)) == [("row", pk) for pk in ids]
    assert paged(ids)[-1] == ("row", ids[-1])


def test_a_record_deleted_since_has_no_row_and_then_completes_each_page_once(rounds):
    ids = [r.pk for r in rounds]
    rounds[1].delete()
    completed = []
    rows = paged(ids, then=completed.append)
    assert rows[0:3] == [("row", ids[0]), ("row", ids[2])]
    assert completed == [[("row", ids[0]), ("row", ids[2])]]


def test_an_empty_report_reads_nothing():
    rows = paged([])
    with CaptureQueriesContext(connection) as queries:
        page = Paginator(rows, 2).get_page(1)
        assert list(page) == []
    assert len(queries) == 0
