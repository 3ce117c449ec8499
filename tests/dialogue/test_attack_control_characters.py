"""Control characters other than NUL (a bell, an escape, a form feed pasted from another program)
can be typed into any text field and are kept as typed; a spreadsheet cannot hold them, so every
XLSX the product writes leaves them out rather than fail with a server error."""

import pytest
from django.test import Client

from tests.dialogue.test_exports import admin_round_export, xlsx_cells
from tests.rounds.factories import RoundFactory
from tests.rounds.test_recording import officer, officer_client, posted  # noqa: F401

pytestmark = pytest.mark.django_db

TYPED = "Ott\x07awa\x1b, \x0bBeijing\x01"


def texts(content: bytes) -> list[str]:
    return [cell.value for cell in xlsx_cells(content) if isinstance(cell.value, str)]


def test_a_control_character_typed_on_the_recording_page_does_not_break_the_list_export(
    officer_client,  # noqa: F811
    analyst,
):
    round_ = RoundFactory(cities="Ottawa")
    page = officer_client.get(f"/rounds/{round_.pk}/edit/")
    saved = officer_client.post(
        f"/rounds/{round_.pk}/edit/details/", posted(page, "details", **{"round-cities": TYPED})
    )
    assert saved.status_code == 302
    analyst_client = Client()
    analyst_client.force_login(analyst)
    response = analyst_client.get("/rounds/?format=xlsx")
    assert response.status_code == 200
    assert "Ottawa, Beijing" in texts(response.content)
    # The CSV can hold them, and keeps the text as typed.
    assert TYPED in analyst_client.get("/rounds/?format=csv").content.decode()


def test_the_admin_export_leaves_out_control_characters(admin_client):
    RoundFactory(cities=TYPED)
    response = admin_round_export(admin_client, "xlsx")
    assert response.status_code == 200
    assert "Ottawa, Beijing" in texts(response.content)


def test_a_formula_behind_a_control_character_is_still_neutralised(analyst_client):
    RoundFactory(cities='\x07=HYPERLINK("http://attacker.example/","Click")')
    cells = xlsx_cells(analyst_client.get("/rounds/?format=xlsx").content)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert '\'=HYPERLINK("http://attacker.example/","Click")' in [cell.value for cell in cells]
