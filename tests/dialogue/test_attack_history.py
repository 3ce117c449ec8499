"""An outsider reads the history pages, the briefing pack and its document of records that
point at hidden ones (tests/world.py mixed_world): no hidden name travels through them."""

import pytest
from django.urls import reverse

from tests.dialogue.test_attack_briefing import docx_parts
from tests.world import HIDDEN, HIDDEN_CASE, mixed_world

pytestmark = pytest.mark.django_db

AUDITED = [
    ("stakeholders", "delegation", "delegation"),
    ("followup", "followupaction", "followupaction"),
    ("followup", "followupproject", "followupproject"),
    ("followup", "benchmarkevent", "benchmarkevent"),
    ("rounds", "caseraising", "caseraising"),
    ("rounds", "agendaitem", "agendaitem"),
    ("rounds", "sitevisit", "sitevisit"),
    ("rounds", "material", "material"),
    ("stakeholders", "consultation", "consultation"),
    ("rounds", "commitment", "commitment"),
    ("rounds", "round", "round"),
]


@pytest.mark.parametrize("role", [("case_officer", "administrator"), ("administrator",)])
def test_history_pages_never_name_a_hidden_record(client, make_user, role):
    world = mixed_world()
    client.force_login(make_user("ada", role, clearance="protected_a", is_staff=True))
    pages = [client.get(reverse("recent_changes"))]
    for app, model, key in AUDITED:
        pages.append(client.get(reverse("record_history", args=[app, model, world[key].pk])))
    for page in pages:
        text = page.content.decode()
        assert HIDDEN not in text and HIDDEN_CASE not in text, page.request["PATH_INFO"]
        assert "zebrafinch" not in text


@pytest.mark.parametrize("clearance", ["protected_a", "unclassified"])
def test_the_pack_of_a_round_pointing_at_hidden_records_names_none(client, make_user, clearance):
    world = mixed_world()
    round_ = world["round"]
    client.force_login(make_user("cora", ("case_officer", "officer"), clearance=clearance))
    page = client.get(f"/rounds/{round_.pk}/briefing/")
    document = client.get(f"/rounds/{round_.pk}/briefing/?format=docx")
    following = client.get(f"/rounds/{round_.pk}/briefing/next/")
    assert page.status_code == document.status_code == 200
    for text in (page.text, docx_parts(document.content), following.content.decode()):
        assert "zebrafinch" not in text
