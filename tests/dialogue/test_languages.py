"""Content in several languages: names in the reader's language with a marked fallback,
searchable in every language, edited side by side."""

import csv
import datetime
import io

import pytest
from django.utils import translation

from core.admin import side_by_side
from core.templatetags.dialogue_tags import localized
from tests.followup.factories import FollowUpProjectFactory
from tests.rounds.factories import (
    AgendaItemFactory,
    DialogueFactory,
    RoundFactory,
    TopicFactory,
)
from tests.stakeholders.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_a_name_is_shown_in_the_readers_language_and_falls_back_to_english():
    rcmp = OrganizationFactory(
        name="Royal Canadian Mounted Police",
        name_fr="Gendarmerie royale du Canada",
        acronym="RCMP",
        acronym_fr="GRC",
    )
    unnamed = TopicFactory(name="Legal aid", name_fr="")
    with translation.override("fr"):
        assert str(rcmp) == "Gendarmerie royale du Canada (GRC)"
        assert localized(rcmp) == "Gendarmerie royale du Canada"
        assert localized(unnamed) == '<span lang="en">Legal aid</span>'
    with translation.override("en"):
        assert str(rcmp) == "Royal Canadian Mounted Police (RCMP)"
        assert localized(unnamed) == "Legal aid"


def test_names_are_searchable_in_every_language(analyst_client):
    OrganizationFactory(
        name="Royal Canadian Mounted Police",
        name_fr="Gendarmerie royale du Canada",
        name_zh="加拿大皇家骑警",
        acronym="RCMP",
        acronym_fr="GRC",
    )
    for query in ("Mounted", "Gendarmerie", "骑警", "GRC"):
        page = analyst_client.get(f"/stakeholders/organizations/?q={query}").text
        assert "Royal Canadian Mounted Police" in page, query
        assert "Royal Canadian Mounted Police" in analyst_client.get(f"/search/?q={query}").text


def test_the_admin_edits_the_names_side_by_side(admin_client):
    assert side_by_side(
        ["slug", "name", "name_fr", "name_zh", "acronym", "acronym_fr", "kind"]
    ) == [
        "slug",
        ("name", "name_fr", "name_zh"),
        ("acronym", "acronym_fr"),
        "kind",
    ]
    page = admin_client.get("/admin/stakeholders/organization/add/").text
    assert "form-multiline field-name field-name_fr field-name_zh" in page


def test_a_french_list_and_its_csv_speak_french(analyst_client):
    TopicFactory(name="Legal aid", name_fr="Aide juridique")
    FollowUpProjectFactory(title="Formation", budget_cad="125000.50")
    topics = analyst_client.get("/fr/topics/").text
    assert "Aide juridique" in topics
    csv = analyst_client.get("/fr/topics/?format=csv").content.decode()
    assert csv.splitlines()[0].startswith('"Sujet",')  # every cell quoted (SECURITY.md)
    assert "Aide juridique" in csv
    projects = analyst_client.get("/fr/followup/projects/").text
    assert "125\u202f000,50" in projects or "125\xa0000,50" in projects
    assert "125,000.50" in analyst_client.get("/followup/projects/").text


def test_the_french_reports_csv_speak_french(analyst_client):
    topic = TopicFactory(name="Legal aid", name_fr="Aide juridique")
    for n in range(2):
        dialogue = DialogueFactory(slug=f"d{n}", partner_party="CN")
        round_ = RoundFactory(dialogue=dialogue, number=1, start_date=datetime.date(2001, 5, 1))
        AgendaItemFactory(round=round_, topics=[topic])
    for url, headers in (
        ("/fr/topics/continuity/?format=csv", ["Sujet", "2001", "Profil", "Total"]),
        ("/fr/topics/overlap/?partner=CN&format=csv", ["Sujet", "Année", "Dialogues", "Séances"]),
    ):
        rows = list(csv.reader(io.StringIO(analyst_client.get(url).content.decode())))
        assert rows[0] == headers, url
        assert rows[1][0] == "Aide juridique", url


def test_choice_labels_follow_the_readers_language_after_the_first_call():
    """get_FOO_display keeps a field's choices once (core.models.TrackedModel); the labels
    stay lazy, and country names keep Django's own path."""
    from tests.rounds.factories import RoundFactory

    project = FollowUpProjectFactory(status="proposed")
    round_ = RoundFactory(host_country="CN")
    with translation.override("en"):
        assert project.get_status_display() == "Proposed"
        assert round_.get_host_country_display() == "China"
    with translation.override("fr"):
        assert project.get_status_display() == "Proposé"
        assert round_.get_host_country_display() == "Chine"
