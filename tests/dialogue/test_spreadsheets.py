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
def importer(make_user):
    """Imports are the administrators' work (the admin is theirs)."""
    return make_user("olive", "administrator", clearance="protected_b", is_staff=True)


def dataset(headers, *rows) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=headers)


ROUND_HEADERS = ["dialogue", "number", "start_date", "end_date", "cities", "status"]


def test_rounds_import_after_a_dry_run_with_history_and_a_second_import_changes_nothing(importer):
    DialogueFactory(slug="canada-china-jchr", start_year=1997)
    data = dataset(
        ROUND_HEADERS,
        ("canada-china-jchr", 1, "1997-12-10", "1997-12-12", "Ottawa", "held"),
        ("canada-china-jchr", 2, "1998-11-01", "", "Beijing", "held"),
    )
    dry = RoundResource().import_data(data, dry_run=True, user=importer)
    assert not dry.has_errors() and not dry.has_validation_errors()
    assert dry.totals["new"] == 2
    assert not Round.objects.exists()  # a dry run writes nothing

    RoundResource().import_data(data, dry_run=False, user=importer)
    assert Round.objects.count() == 2
    first = Round.objects.get(number=1)
    assert first.created_by == importer
    assert first.history.count() == 1

    again = RoundResource().import_data(data, dry_run=False, user=importer)
    assert again.totals["skip"] == 2 and again.totals["update"] == 0
    assert first.history.count() == 1


def test_an_error_names_the_row_and_column_and_nothing_is_imported(importer):
    DialogueFactory(slug="canada-china-jchr", start_year=1997)
    data = dataset(
        ROUND_HEADERS,
        ("canada-china-jchr", 1, "1997-12-10", "", "Ottawa", "held"),
        ("no-such-dialogue", 2, "1998-11-01", "", "Beijing", "held"),
        ("canada-china-jchr", 3, "1999-11-01", "1999-10-01", "Lhasa", "held"),
    )
    result = RoundResource().import_data(data, dry_run=False, user=importer, use_transactions=True)
    assert result.has_validation_errors()
    problems = {
        (row.number, field): " ".join(str(message) for message in messages)
        for row in result.invalid_rows
        for field, messages in row.error_dict.items()
    }
    assert "No dialogue “no-such-dialogue” that you may see." in problems[(2, "dialogue")]
    assert (3, "end_date") in problems or (3, "__all__") in problems
    assert not Round.objects.exists()


def test_agenda_items_members_cases_and_actions_import(importer, make_user):
    round_ = RoundFactory(
        dialogue__slug="canada-china-jchr", number=9, start_date=datetime.date(2005, 11, 1)
    )
    TopicFactory(slug="policing")
    TopicFactory(slug="religion")
    items = dataset(
        ["round", "order", "segment", "title", "topics"],
        ("canada-china-jchr:9", 1, "thematic", "Police accountability", "policing;religion"),
    )
    AgendaItemResource().import_data(items, dry_run=False, user=importer)
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
    result = DelegationMemberResource().import_data(members, dry_run=False, user=importer)
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
    result = FollowUpActionResource().import_data(actions, dry_run=False, user=importer)
    assert not result.has_errors() and not result.has_validation_errors()
    assert FollowUpAction.objects.get().round == round_

    case_officer = make_user("cora", "case_officer", clearance="protected_b")
    cases = dataset(["name", "name_zh", "category"], ("Xu Wenli", "徐文立", "political"))
    CaseOfConcernResource().import_data(cases, dry_run=False, user=case_officer)
    assert CaseOfConcern.objects.get().name_zh == "徐文立"


def test_an_importer_can_neither_reach_nor_file_above_their_clearance(make_user):
    low = make_user("low", "officer", clearance="unclassified")
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
def test_the_admin_previews_then_imports_a_file(client, importer, file_format):
    DialogueFactory(slug="canada-china-jchr", start_year=1997)
    client.force_login(importer)
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
    client, importer, settings, round_with_topics, file_format
):
    settings.IMPORT_MAX_ROWS = 3
    client.force_login(importer)
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
    client, importer, round_with_topics
):
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["round", "title"])
    for _n in range(20_000):
        sheet.append(["canada-china-jchr:1", "x"])
    stream = io.BytesIO()
    book.save(stream)
    assert len(stream.getvalue()) < 200_000  # compressed: far below the size limit
    client.force_login(importer)
    response = preview(client, stream.getvalue(), "xlsx")
    assert "more than 1000 rows" in response.context["form"].errors["import_file"][0]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    client, importer, settings, round_with_topics
):
    settings.IMPORT_MAX_BYTES = 100
    client.force_login(importer)
    response = preview(client, agenda_items(10).export("csv").encode(), "csv")
    error = response.context["form"].errors["import_file"][0]
    assert "at most 100\xa0bytes" in error and "IMPORT_MAX_BYTES" in error
    assert not AgendaItem.objects.exists()


def import_queries(user, data, dry_run=False) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        result = AgendaItemResource().import_data(data, dry_run=dry_run, user=user)
    assert not result.has_errors() and not result.has_validation_errors()
    return len(captured.captured_queries), result.totals


def items_with(count: int, summary: str, topics: str) -> tablib.Dataset:
    return dataset(
        ["round", "title", "topics", "summary"],
        *[("canada-china-jchr:1", f"Item {n}", topics, summary) for n in range(count)],
    )


def test_an_imports_queries_are_the_same_for_ten_rows_as_for_a_hundred(importer, round_with_topics):
    """Lookups are read once for the file and its rows are written together, so the cost of a
    file does not grow with its rows: new, unchanged or changed, preview or confirmation."""
    counts = {}
    for count in (10, 100):
        AgendaItem.objects.all().delete()
        preview, totals = import_queries(importer, items_with(count, "", "religion"), True)
        assert totals["new"] == count and not AgendaItem.objects.exists()
        new, totals = import_queries(importer, items_with(count, "", "religion"))
        assert totals["new"] == count
        same, totals = import_queries(importer, items_with(count, "", "religion"))
        assert totals["skip"] == count
        changed, totals = import_queries(importer, items_with(count, "Said", "tibet"))
        assert totals["update"] == count
        counts[count] = (preview, new, same, changed)
    assert counts[10] == counts[100], counts
    assert max(counts[100]) <= 25


def test_a_files_rounds_are_checked_and_written_in_the_same_queries_however_many(importer):
    """Rounds carry constraints (checked by the database when the file is written) and a
    version: still nothing a row."""
    DialogueFactory(slug="canada-china-jchr", start_year=1997)

    def rounds(count, cities):
        rows = [("canada-china-jchr", n, "1998-01-01", "", cities, "held") for n in range(count)]
        return dataset(ROUND_HEADERS, *rows)

    counts = {}
    for count in (10, 100):
        Round.objects.all().delete()
        queries = []
        for cities in ("Ottawa", "Beijing"):
            with CaptureQueriesContext(connection) as captured:
                result = RoundResource().import_data(rounds(count, cities), user=importer)
            assert not result.has_errors() and not result.has_validation_errors()
            queries.append(len(captured.captured_queries))
        counts[count] = queries
    assert counts[10] == counts[100], counts
    assert set(Round.objects.values_list("cities", "version")) == {("Beijing", 2)}


def test_each_imported_change_has_one_history_entry_by_the_importer_with_its_topics(
    importer, round_with_topics
):
    import_queries(importer, items_with(3, "", "religion;tibet"))
    item = AgendaItem.objects.get(title="Item 0")
    [entry] = item.history.all()
    assert entry.history_type == "+" and entry.history_user == importer
    assert sorted(link.topic.slug for link in entry.topics.all()) == ["religion", "tibet"]
    assert item.created_by == importer and item.updated_by == importer

    import_queries(importer, items_with(3, "Said", "tibet"))
    item.refresh_from_db()
    assert item.summary == "Said"
    assert list(item.topics.values_list("slug", flat=True)) == ["tibet"]
    latest, first = item.history.all()
    assert latest.history_type == "~" and latest.history_user == importer
    assert latest.summary == "Said"
    assert [link.topic.slug for link in latest.topics.all()] == ["tibet"]
    assert sorted(link.topic.slug for link in first.topics.all()) == ["religion", "tibet"]

    import_queries(importer, items_with(3, "Said", "tibet"))  # the same file again
    assert item.history.count() == 2


def test_the_admin_preview_shows_each_new_rows_topics(client, importer, round_with_topics):
    client.force_login(importer)
    response = preview(client, agenda_items(2).export("csv").encode(), "csv")
    assert response.context["result"].totals["new"] == 2
    assert "religion;tibet" in response.text.replace("<ins", "\n<ins").replace("</ins>", "")


def test_an_import_cannot_file_a_record_under_one_marked_above_it(importer):
    RoundFactory(dialogue__slug="secret-dialogue", number=1, security_marking="protected_b")
    items = dataset(["round", "title"], ("secret-dialogue:1", "Filed too low"))
    result = AgendaItemResource().import_data(items, user=importer)
    [row] = result.invalid_rows
    assert "cannot refer to a record marked Protected B" in str(row.error_dict["round"])
    assert not AgendaItem.objects.exists()
    marked = dataset(
        ["round", "title", "security_marking"],
        ("secret-dialogue:1", "Filed at its level", "protected_b"),
    )
    result = AgendaItemResource().import_data(marked, user=importer)
    assert not result.has_validation_errors()
    assert AgendaItem.objects.get().title == "Filed at its level"


def test_two_rows_that_break_a_constraint_together_are_named_and_nothing_is_imported(importer):
    round_ = RoundFactory(dialogue__slug="canada-china-jchr", number=9)
    DelegationFactory(round=round_, side="lead")
    PersonFactory(full_name="Jane Doe")
    OrganizationFactory(name="RCMP")
    OrganizationFactory(name="Global Affairs")
    members = dataset(
        ["delegation", "person", "organization"],
        ("canada-china-jchr:9:lead", "Jane Doe", "RCMP"),
        ("canada-china-jchr:9:lead", "Jane Doe", "Global Affairs"),
    )
    result = DelegationMemberResource().import_data(members, user=importer)
    [row] = result.invalid_rows
    assert row.number == 2
    assert "This person is already in this delegation." in str(row.error_dict)
    assert not DelegationMember.objects.exists()


def test_a_rounds_update_by_import_raises_its_version_once_with_one_history_entry(importer):
    DialogueFactory(slug="canada-china-jchr", start_year=1997)
    first = dataset(ROUND_HEADERS, ("canada-china-jchr", 1, "1997-12-10", "", "Ottawa", "held"))
    RoundResource().import_data(first, user=importer)
    round_ = Round.objects.get()
    again = dataset(ROUND_HEADERS, ("canada-china-jchr", 1, "1997-12-10", "", "Beijing", "held"))
    result = RoundResource().import_data(again, user=importer)
    assert result.totals["update"] == 1
    round_.refresh_from_db()
    assert (round_.cities, round_.version) == ("Beijing", round_.history.count())
    assert round_.version == 2 and round_.updated_at > round_.created_at
    assert round_.history.first().history_user == importer


def test_an_agenda_items_update_by_import_is_found_by_its_new_words(importer, analyst_client):
    """The file's update writes every field but the stored search document, which the database
    writes from them (core/search.py)."""
    RoundFactory(dialogue__slug="canada-china-jchr", number=9)
    headers = ["round", "order", "segment", "title", "summary"]
    first = dataset(headers, ("canada-china-jchr:9", 1, "thematic", "Police", "Training"))
    AgendaItemResource().import_data(first, user=importer)
    again = dataset(headers, ("canada-china-jchr:9", 1, "thematic", "Police", "Procuratorates"))
    result = AgendaItemResource().import_data(again, user=importer)
    assert result.totals["update"] == 1
    assert not result.has_errors() and not result.has_validation_errors()
    response = analyst_client.get("/search/?q=procuratorates")
    assert [g.label for g in response.context["groups"]] == ["Agenda items"]
    assert not analyst_client.get("/search/?q=training").context["groups"]
