"""Malformed spreadsheets in the admin's import: a number column holding a word or a fraction,
a file without a column the rows are matched by. Each is refused with the row and the column
named, nothing is imported, and none is a server error."""

import io

import pytest

from rounds.models import AgendaItem, Round
from tests.dialogue.test_spreadsheets import ROUND_HEADERS, dataset, importer  # noqa: F401
from tests.rounds.factories import DialogueFactory, RoundFactory

pytestmark = pytest.mark.django_db

GOOD = ("canada-china-jchr", 1, "1997-12-10", "", "Ottawa", "held")


@pytest.fixture
def jchr():
    return DialogueFactory(slug="canada-china-jchr", start_year=1997)


def preview(client, content: bytes, url="/admin/rounds/round/import/"):
    upload = io.BytesIO(content)
    upload.name = "rounds.csv"
    fields = client.get(url).context["form"].fields
    formats = {str(label).lower(): value for value, label in fields["format"].choices}
    return client.post(url, {"import_file": upload, "format": formats["csv"], "resource": 0})


def problems(response) -> dict:
    result = response.context["result"]
    return {
        (row.number, column): " ".join(str(message) for message in messages)
        for row in result.invalid_rows
        for column, messages in row.error_dict.items()
    }


@pytest.mark.parametrize("typed", ["abc", "1.5", "1e3x"])
def test_a_round_number_that_is_not_a_whole_number_is_named_by_row_and_column(
    client,
    importer,  # noqa: F811
    jchr,
    typed,
):
    client.force_login(importer)
    content = dataset(
        ROUND_HEADERS,
        GOOD,
        ("canada-china-jchr", typed, "1998-11-01", "", "Beijing", "held"),
        ("canada-china-jchr", 3, "1999-11-01", "", "Lhasa", "held"),
    ).export("csv")
    response = preview(client, content.encode())
    assert response.status_code == 200
    assert f"“{typed}” is not a whole number." in problems(response)[(2, "number")]
    assert "confirm_form" not in response.context
    assert not Round.objects.exists()


def test_an_agenda_items_order_that_is_not_a_number_is_named_by_row_and_column(
    client,
    importer,  # noqa: F811
    jchr,
):
    RoundFactory(dialogue=jchr, number=1)
    client.force_login(importer)
    content = dataset(
        ["round", "title", "order"],
        ("canada-china-jchr:1", "Opening", "1"),
        ("canada-china-jchr:1", "Tibet", "second"),
    ).export("csv")
    response = preview(client, content.encode(), url="/admin/rounds/agendaitem/import/")
    assert response.status_code == 200
    assert "“second” is not a whole number." in problems(response)[(2, "order")]
    assert not AgendaItem.objects.exists()


def test_a_file_without_a_column_the_rows_are_matched_by_names_it(
    client,
    importer,  # noqa: F811
    jchr,
):
    client.force_login(importer)
    content = dataset(["number", "start_date", "cities"], (1, "1997-12-10", "Ottawa")).export("csv")
    response = preview(client, content.encode())
    assert response.status_code == 200
    assert "“dialogue”" in problems(response)[(1, "dialogue")]
    assert "confirm_form" not in response.context
    assert not Round.objects.exists()


@pytest.mark.parametrize("column", ["round", "title", "summary", "topics"])
def test_a_nul_character_in_a_cell_is_named_by_row_and_column(
    client,
    importer,  # noqa: F811
    jchr,
    column,
):
    RoundFactory(dialogue=jchr, number=1)
    client.force_login(importer)
    rows = [
        {"round": "canada-china-jchr:1", "title": "Opening", "summary": "Said", "topics": ""},
        {"round": "canada-china-jchr:1", "title": "Tibet", "summary": "Said", "topics": ""},
    ]
    rows[1][column] += "\x00x"
    content = dataset(list(rows[0]), *[tuple(row.values()) for row in rows])
    response = preview(
        client, content.export("csv").encode(), url="/admin/rounds/agendaitem/import/"
    )
    assert response.status_code == 200
    assert "Null characters are not allowed." in problems(response)[(2, column)]
    assert "confirm_form" not in response.context
    assert not AgendaItem.objects.exists()


def upload_errors(client, content: bytes, file_format: str) -> list[str]:
    url = "/admin/rounds/round/import/"
    upload = io.BytesIO(content)
    upload.name = f"rounds.{file_format}"
    fields = client.get(url).context["form"].fields
    formats = {str(label).lower(): value for value, label in fields["format"].choices}
    response = client.post(
        url, {"import_file": upload, "format": formats[file_format], "resource": 0}
    )
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    return response.context["form"].errors["import_file"]


def test_a_csv_saved_in_another_encoding_is_refused_saying_how_to_save_it(
    client,
    importer,  # noqa: F811
    jchr,
):
    client.force_login(importer)
    text = dataset(ROUND_HEADERS, (*GOOD[:4], "Montréal", "held")).export("csv")
    [error] = upload_errors(client, text.encode("cp1252"), "csv")
    assert "UTF-8" in error and "Error" not in error
    assert not Round.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused_saying_so(
    client,
    importer,  # noqa: F811
    jchr,
):
    client.force_login(importer)
    [error] = upload_errors(client, dataset(ROUND_HEADERS, GOOD).export("csv").encode(), "xlsx")
    assert "not an Excel workbook" in error and "Error" not in error
    assert not Round.objects.exists()


@pytest.mark.parametrize("typed", ["2008-02-30", "0000-01-01", "99999-01-01", "next week"])
def test_a_date_that_is_not_one_is_named_with_the_form_it_takes(
    client,
    importer,  # noqa: F811
    jchr,
    typed,
):
    client.force_login(importer)
    content = dataset(
        ROUND_HEADERS, GOOD, ("canada-china-jchr", 2, typed, "", "Beijing", "held")
    ).export("csv")
    response = preview(client, content.encode())
    assert response.status_code == 200
    said = problems(response)[(2, "start_date")]
    assert f"“{typed}” is not a date" in said and "YYYY-MM-DD" in said
    assert not Round.objects.exists()


@pytest.mark.parametrize("typed", ["1", "lead", ":lead"])
def test_a_delegation_without_its_round_is_named_by_row_and_column(
    client,
    importer,  # noqa: F811
    typed,
):
    from stakeholders.models import DelegationMember

    client.force_login(importer)
    content = dataset(
        ["delegation", "person", "organization", "role", "position_at_time"],
        (typed, "", "", "member", ""),
    ).export("csv")
    response = preview(client, content.encode(), url="/admin/stakeholders/delegationmember/import/")
    assert response.status_code == 200
    assert f"No delegation “{typed}” that you may see" in problems(response)[(1, "delegation")]
    assert not DelegationMember.objects.exists()
