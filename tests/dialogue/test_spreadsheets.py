"""Spreadsheet import in the admin: a dry run first, errors by row and column, all or nothing,
history for every change, and a second import of the same file changes nothing."""

import datetime
import io

import openpyxl
import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext

from followup.models import FollowUpAction
from followup.resources import FollowUpActionResource
from rounds.models import AgendaItem, CaseOfConcern, Round
from rounds.resources import AgendaItemResource, CaseOfConcernResource, RoundResource
from stakeholders.models import DelegationMember
from stakeholders.resources import DelegationMemberResource
from tests.rounds.factories import DialogueFactory, RoundFactory, TopicFactory
from tests.stakeholders.factories import DelegationFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user("olive", "officer", clearance="protected_b", is_staff=True)


def dataset(headers, *rows) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=headers)


ROUND_HEADERS = ["dialogue", "number", "start_date", "end_date", "cities", "status"]


def test_rounds_import_after_a_dry_run_with_history_and_a_second_import_changes_nothing(officer):
    DialogueFactory(slug="canada-china-jchr", start_year=1997)
    data = dataset(
        ROUND_HEADERS,
        ("canada-china-jchr", 1, "1997-12-10", "1997-12-12", "Ottawa", "held"),
        ("canada-china-jchr", 2, "1998-11-01", "", "Beijing", "held"),
    )
    dry = RoundResource().import_data(data, dry_run=True, user=officer)
    assert not dry.has_errors() and not dry.has_validation_errors()
    assert dry.totals["new"] == 2
    assert not Round.objects.exists()  # a dry run writes nothing

    RoundResource().import_data(data, dry_run=False, user=officer)
    assert Round.objects.count() == 2
    first = Round.objects.get(number=1)
    assert first.created_by == officer
    assert first.history.count() == 1

    again = RoundResource().import_data(data, dry_run=False, user=officer)
    assert again.totals["skip"] == 2 and again.totals["update"] == 0
    assert first.history.count() == 1


def test_an_error_names_the_row_and_column_and_nothing_is_imported(officer):
    DialogueFactory(slug="canada-china-jchr", start_year=1997)
    data = dataset(
        ROUND_HEADERS,
        ("canada-china-jchr", 1, "1997-12-10", "", "Ottawa", "held"),
        ("no-such-dialogue", 2, "1998-11-01", "", "Beijing", "held"),
        ("canada-china-jchr", 3, "1999-11-01", "1999-10-01", "Lhasa", "held"),
    )
    result = RoundResource().import_data(data, dry_run=False, user=officer, use_transactions=True)
    assert result.has_validation_errors()
    problems = {
        (row.number, field): " ".join(str(message) for message in messages)
        for row in result.invalid_rows
        for field, messages in row.error_dict.items()
    }
    assert "No dialogue “no-such-dialogue” that you may see." in problems[(2, "dialogue")]
    assert (3, "end_date") in problems or (3, "__all__") in problems
    assert not Round.objects.exists()


def test_agenda_items_members_cases_and_actions_import(officer, make_user):
    round_ = RoundFactory(
        dialogue__slug="canada-china-jchr", number=9, start_date=datetime.date(2005, 11, 1)
    )
    TopicFactory(slug="policing")
    TopicFactory(slug="religion")
    items = dataset(
        ["round", "order", "segment", "title", "topics"],
        ("canada-china-jchr:9", 1, "thematic", "Police accountability", "policing;religion"),
    )
    AgendaItemResource().import_data(items, dry_run=False, user=officer)
    item = AgendaItem.objects.get()
    assert sorted(item.topics.values_list("slug", flat=True)) == ["policing", "religion"]

    DelegationFactory(round=round_, side="lead")
    PersonFactory(full_name="Jane Doe")
    OrganizationFactory(name="Royal Canadian Mounted Police")
    members = dataset(
        ["delegation", "person", "organization", "role"],
        ("canada-china-jchr:9:lead", "Jane Doe", "Royal Canadian Mounted Police", "member"),
        ("canada-china-jchr:9:lead", "", "Royal Canadian Mounted Police", "presenter"),
    )
    result = DelegationMemberResource().import_data(members, dry_run=False, user=officer)
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    assert DelegationMember.objects.count() == 2

    actions = dataset(
        ["round", "title", "owner_organization", "due_date", "status"],
        (
            "canada-china-jchr:9",
            "Send the legal texts",
            "Royal Canadian Mounted Police",
            "2006-01-15",
            "open",
        ),
    )
    result = FollowUpActionResource().import_data(actions, dry_run=False, user=officer)
    assert not result.has_errors() and not result.has_validation_errors()
    assert FollowUpAction.objects.get().round == round_

    case_officer = make_user("cora", "case_officer", clearance="protected_b", is_staff=True)
    cases = dataset(["name", "name_zh", "category"], ("Xu Wenli", "徐文立", "political"))
    CaseOfConcernResource().import_data(cases, dry_run=False, user=case_officer)
    assert CaseOfConcern.objects.get().name_zh == "徐文立"


def test_an_importer_can_neither_reach_nor_file_above_their_clearance(make_user):
    low = make_user("low", "officer", clearance="unclassified", is_staff=True)
    RoundFactory(dialogue__slug="secret-dialogue", number=1, security_marking="protected_b")
    DialogueFactory(slug="open-dialogue", start_year=1990)
    items = dataset(["round", "title"], ("secret-dialogue:1", "Hidden"))
    result = AgendaItemResource().import_data(items, dry_run=False, user=low)
    assert "No round “secret-dialogue:1” that you may see." in str(
        result.invalid_rows[0].error_dict["round"]
    )
    rounds = dataset(
        ["dialogue", "number", "start_date", "status", "security_marking"],
        ("open-dialogue", 1, "2001-01-01", "held", "protected_b"),
    )
    result = RoundResource().import_data(rounds, dry_run=False, user=low)
    assert "above your own clearance" in str(result.invalid_rows[0].error_dict["security_marking"])


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_admin_previews_then_imports_a_file(client, officer, file_format):
    DialogueFactory(slug="canada-china-jchr", start_year=1997)
    client.force_login(officer)
    data = dataset(ROUND_HEADERS, ("canada-china-jchr", 1, "1997-12-10", "", "Ottawa", "held"))
    content = data.export(file_format)
    upload = io.BytesIO(content if isinstance(content, bytes) else content.encode())
    upload.name = f"rounds.{file_format}"
    url = "/admin/rounds/round/import/"
    page = client.get(url)
    fields = page.context["form"].fields
    formats = {str(label).lower(): value for value, label in fields["format"].choices}
    preview = client.post(
        url, {"import_file": upload, "format": formats[file_format], "resource": 0}
    )
    assert preview.status_code == 200
    assert not preview.context["form"].errors, preview.context["form"].errors
    assert "Ottawa" in preview.text  # the preview shows the row
    assert not Round.objects.exists()
    confirm = preview.context["confirm_form"]
    done = client.post("/admin/rounds/round/process_import/", confirm.initial)
    assert done.status_code == 302
    assert Round.objects.get().cities == "Ottawa"


# -- limits and cost -----------------------------------------------------------------------------


def preview(client, content: bytes, file_format: str, url="/admin/rounds/agendaitem/import/"):
    upload = io.BytesIO(content)
    upload.name = f"items.{file_format}"
    fields = client.get(url).context["form"].fields
    formats = {str(label).lower(): value for value, label in fields["format"].choices}
    return client.post(url, {"import_file": upload, "format": formats[file_format], "resource": 0})


def agenda_items(count: int) -> tablib.Dataset:
    return dataset(
        ["round", "title", "topics"],
        *[("canada-china-jchr:1", f"Item {n}", "religion;tibet") for n in range(count)],
    )


@pytest.fixture
def round_with_topics():
    RoundFactory(dialogue=DialogueFactory(slug="canada-china-jchr"), number=1)
    TopicFactory(slug="religion")
    TopicFactory(slug="tibet")


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_file_over_the_row_limit_is_refused_with_the_limit_named(
    client, officer, settings, round_with_topics, file_format
):
    settings.IMPORT_MAX_ROWS = 3
    client.force_login(officer)
    content = agenda_items(4).export(file_format)
    response = preview(
        client, content if isinstance(content, bytes) else content.encode(), file_format
    )
    errors = response.context["form"].errors["import_file"]
    assert "more than 3 rows" in errors[0] and "IMPORT_MAX_ROWS" in errors[0]
    assert "confirm_form" not in response.context
    assert not AgendaItem.objects.exists()
    content = agenda_items(3).export(file_format)
    response = preview(
        client, content if isinstance(content, bytes) else content.encode(), file_format
    )
    assert not response.context["form"].errors
    assert response.context["confirm_form"]


def test_a_small_spreadsheet_of_many_rows_is_refused_without_reading_them_all(
    client, officer, round_with_topics
):
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["round", "title"])
    for _n in range(20_000):
        sheet.append(["canada-china-jchr:1", "x"])
    stream = io.BytesIO()
    book.save(stream)
    assert len(stream.getvalue()) < 200_000  # compressed: far below the size limit
    client.force_login(officer)
    response = preview(client, stream.getvalue(), "xlsx")
    assert "more than 1000 rows" in response.context["form"].errors["import_file"][0]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    client, officer, settings, round_with_topics
):
    settings.IMPORT_MAX_BYTES = 100
    client.force_login(officer)
    response = preview(client, agenda_items(10).export("csv").encode(), "csv")
    error = response.context["form"].errors["import_file"][0]
    assert "at most 100\xa0bytes" in error and "IMPORT_MAX_BYTES" in error
    assert not AgendaItem.objects.exists()


def test_an_imports_lookups_are_read_once_and_its_queries_grow_only_by_each_rows_writes(
    officer, round_with_topics
):
    def queries(count):
        AgendaItem.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            result = AgendaItemResource().import_data(agenda_items(count), user=officer)
        assert result.totals["new"] == count
        return [query["sql"] for query in captured.captured_queries]

    five, ten, twenty = queries(5), queries(10), queries(20)
    lookups = [
        sum('FROM "rounds_round"' in sql or 'FROM "rounds_dialogue"' in sql for sql in run)
        for run in (five, ten, twenty)
    ]
    assert lookups[0] == lookups[1] == lookups[2]  # the rounds named, read once
    per_row = (len(twenty) - len(ten)) / 10
    assert per_row == (len(ten) - len(five)) / 5  # a constant cost a row
    assert per_row <= 12
