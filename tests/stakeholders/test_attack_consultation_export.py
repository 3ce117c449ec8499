"""The consultation list's filter by format must not take the `?format=` that asks a list for its
CSV or XLSX export (nor the API's, which picks the answer's renderer): the export holds the
consultations the page lists, and filtering by format works on the page, in its export and in
the API."""

import csv
import io

import pytest
from django.urls import reverse

from core.models import SecurityMarking
from stakeholders.models import Consultation
from tests.stakeholders.factories import ConsultationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("stakeholders:consultation_list")


@pytest.fixture
def officer_client(client, make_user):
    client.force_login(make_user("olga", "officer", clearance="protected_a"))
    ConsultationFactory(location="Ottawa", format=Consultation.Format.IN_PERSON)
    ConsultationFactory(location="By video", format=Consultation.Format.VIDEO)
    ConsultationFactory(
        location="Open",
        format=Consultation.Format.WRITTEN,
        security_marking=SecurityMarking.UNCLASSIFIED,
    )
    return client


def exported(client, query: str) -> list[str]:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return sorted(row["Location"] for row in csv.DictReader(io.StringIO(response.text)))


def test_the_csv_export_holds_the_consultations_listed(officer_client):
    assert officer_client.get(LIST).context["table"].paginator.count == 3
    assert exported(officer_client, "format=csv") == ["By video", "Open", "Ottawa"]


def test_the_xlsx_export_holds_the_consultations_listed(officer_client):
    import openpyxl

    response = officer_client.get(f"{LIST}?format=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 4  # the header and three consultations


def test_filtering_by_format_works_on_the_page_and_in_its_export(officer_client):
    page = officer_client.get(f"{LIST}?consultation_format=video")
    assert [row.record.location for row in page.context["table"].rows] == ["By video"]
    assert exported(officer_client, "consultation_format=video&format=csv") == ["By video"]


def test_filtering_by_format_works_in_the_api(officer_client):
    response = officer_client.get("/api/v1/consultations/?consultation_format=in_person")
    assert response.status_code == 200, response.content
    assert [row["location"] for row in response.json()["results"]] == ["Ottawa"]
