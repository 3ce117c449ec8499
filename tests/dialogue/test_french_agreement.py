"""French reads right: a side is named by its party (no "soulevé par partie principale"),
counts agree with their number ("1 des 12 sujets … a"), a round is labelled with the
dialogue's French acronym where one is recorded, and projects have French titles and
objectives shown to French readers."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from core.models import Side
from tests.followup.factories import FollowUpProjectFactory
from tests.rounds.factories import AgendaItemFactory, DialogueFactory, RoundFactory

pytestmark = pytest.mark.django_db


def test_a_round_is_labelled_with_the_french_acronym_where_recorded():
    jchr = DialogueFactory(acronym="JCHR", acronym_fr="CMDP")
    other = DialogueFactory(acronym="EUCHRD")
    labelled = RoundFactory(dialogue=jchr, number=10, start_date=datetime.date(2006, 3, 1))
    plain = RoundFactory(dialogue=other, number=3, start_date=datetime.date(2006, 3, 1))
    with translation.override("fr"):
        assert str(labelled) == "CMDP, séance 10 (2006)"
        assert str(plain) == "EUCHRD, séance 3 (2006)"
    assert str(labelled) == "JCHR, round 10 (2006)"


def test_the_round_page_in_french_names_the_side_that_raised_an_item(analyst_client):
    round_ = RoundFactory()
    AgendaItemFactory(round=round_, segment="concerns", raised_by=Side.PARTNER)
    page = analyst_client.get(f"/fr{round_.get_absolute_url()}").text
    assert "Chine" in page
    assert "partie principale" not in page and "partie partenaire" not in page


@pytest.mark.parametrize(
    ("covered", "total", "verb"), [(1, 12, "has"), (0, 3, "have"), (2, 12, "have")]
)
def test_the_coverage_sentence_agrees_with_its_count(covered, total, verb):
    template = Template(
        "{% load i18n %}{% blocktranslate with total=total count covered=covered %}"
        "{{ covered }} of the {{ total }} thematic topics of the last three rounds has a "
        "follow-up project.{% plural %}{{ covered }} of the {{ total }} thematic topics of the "
        "last three rounds have a follow-up project.{% endblocktranslate %}"
    )
    with open("templates/includes/dashboard_body.html") as file:
        dashboard = file.read()
    assert "count covered=coverage.covered|length" in dashboard  # the sentence tested here
    text = template.render(Context({"covered": covered, "total": total}))
    assert f"{covered} of the {total} thematic topics of the last three rounds {verb} a" in text


def test_a_project_has_a_french_title_and_objectives(analyst_client):
    project = FollowUpProjectFactory(
        title="Legal aid training",
        title_fr="Formation à l’aide juridique",
        objectives="Train lawyers",
        objectives_fr="Former des avocats",
    )
    english = analyst_client.get(project.get_absolute_url()).text
    assert "<h1>Legal aid training</h1>" in english and "Train lawyers" in english
    french = analyst_client.get(f"/fr{project.get_absolute_url()}").text
    assert "<h1>Formation à l’aide juridique</h1>" in french and "Former des avocats" in french
    untranslated = FollowUpProjectFactory(title="Prison visits")
    page = analyst_client.get(f"/fr/followup/projects/{untranslated.pk}/").text
    assert '<h1><span lang="en">Prison visits</span></h1>' in page  # the fallback is marked
    listing = analyst_client.get("/fr/followup/projects/").text
    assert "Formation à l’aide juridique" in listing
