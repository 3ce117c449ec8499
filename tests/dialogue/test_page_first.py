"""A list's page is chosen on the model's own table before its rows are joined to their related
records (core.tables.PageFirstData): the same rows, in the same order, as slicing the joined
query, in one query; and the site-wide search likewise chooses its first results first."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.tables import PageFirstData
from followup.models import FollowUpAction
from tests.followup.factories import FollowUpActionFactory, FollowUpProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions():
    projects = [FollowUpProjectFactory(title=f"Project {letter}") for letter in "CAB"]
    start = datetime.date(2004, 1, 1)
    for n in range(12):
        FollowUpActionFactory(
            title=f"Action {n % 5}",  # ties, as real titles have
            project=projects[n % 3] if n % 4 else None,
            due_date=start + datetime.timedelta(days=n % 7),
        )


@pytest.mark.parametrize(
    "order", [("title", "pk"), ("-project__title", "pk"), ("due_date", "-pk"), ("pk",)]
)
def test_a_page_holds_the_rows_slicing_the_joined_query_would(actions, order):
    joined = FollowUpAction.objects.select_related("project", "round__dialogue").order_by(*order)
    data = PageFirstData(joined)
    for start in range(0, 12, 5):
        with CaptureQueriesContext(connection) as queries:
            page = list(data[start : start + 5])
        assert [a.pk for a in page] == [a.pk for a in joined[start : start + 5]]
        assert len(queries) == 1
        assert "IN (SELECT" in queries[0]["sql"]  # the page chosen before the joins
        for action in page:  # read with their related records, in that one query
            with CaptureQueriesContext(connection) as more:
                _ = action.project, action.round.dialogue
            assert len(more) == 0


def test_a_distinct_query_is_sliced_as_it_was(actions):
    distinct = FollowUpAction.objects.filter(project__title__startswith="Project").distinct()
    data = PageFirstData(distinct.order_by("project__title", "pk"))
    assert [a.pk for a in data[0:3]] == [
        a.pk for a in distinct.order_by("project__title", "pk")[0:3]
    ]


def test_the_action_list_sorted_by_a_related_column_shows_the_same_rows(actions, make_user, client):
    client.force_login(make_user("paula", "planner"))
    page = client.get(reverse("followup:action_list") + "?sort=-project").text
    expected = FollowUpAction.objects.order_by("-project__title")[:25]
    titles = [a.title for a in expected]
    positions = [page.find(f">{title}<") for title in dict.fromkeys(titles)]
    assert -1 not in positions
