"""Reports page their tables (core.views.paginate): at scale they would list hundreds of
topics or rounds. Each table keeps its own page, and the other filters stay in the links."""

import datetime

import pytest

from core import views
from tests.rounds.factories import AgendaItemFactory, DialogueFactory, RoundFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_row_a_page(monkeypatch):
    monkeypatch.setattr(views, "REPORT_ROWS", 1)


@pytest.fixture
def two_topics_in_two_dialogues():
    """Two topics, each raised in 2001 by two dialogues with the same counterpart."""
    topics = [TopicFactory(name="Alpha detention"), TopicFactory(name="Beta courts")]
    for n in range(2):
        dialogue = DialogueFactory(slug=f"d{n}", partner_party="CN")
        round_ = RoundFactory(dialogue=dialogue, number=1, start_date=datetime.date(2001, 5, 1))
        AgendaItemFactory(round=round_, topics=topics)
    return topics


def test_the_continuity_matrix_pages_its_topics(
    analyst_client, one_row_a_page, two_topics_in_two_dialogues
):
    first = analyst_client.get("/topics/continuity/?sort=name").text
    assert "Alpha detention" in first
    assert "Beta courts" not in first
    assert "2 topics" in first  # the count is of every row, not the page's
    assert "Page 1 of 2" in first
    assert 'href="?sort=name&amp;page=2"' in first
    second = analyst_client.get("/topics/continuity/?sort=name&page=2").text
    assert "Beta courts" in second
    assert "Alpha detention" not in second


def test_overlap_pages_in_the_database_and_builds_only_the_page(
    analyst_client, one_row_a_page, two_topics_in_two_dialogues
):
    first = analyst_client.get("/topics/overlap/").text
    second = analyst_client.get("/topics/overlap/?page=2").text
    assert "2 overlaps" in first
    assert ("Alpha detention" in first) != ("Alpha detention" in second)
    assert ("Beta courts" in first) != ("Beta courts" in second)
    # Out of range gives the last page, not an error.
    assert analyst_client.get("/topics/overlap/?page=99").text.count("Page 2 of 2") == 1


def test_coverage_pages_its_two_tables_independently(
    client, make_user, one_row_a_page, two_topics_in_two_dialogues
):
    client.force_login(make_user("pat", "planner", clearance="protected_b"))
    page = client.get("/followup/coverage/?dialogue=&topics_page=2").text  # every dialogue
    assert "Page 1 of 2" in page  # the rounds table
    assert "Page 2 of 2" in page  # the topics table
    assert "rounds_page=2" in page
    assert "topics_page=1" in page


def test_the_continuity_matrix_escapes_names_in_its_links(analyst_client):
    """The matrix writes its round links by hand (reports/templatetags/continuity.py): a name
    with markup or quotes is escaped in the link's title, its short label and its hidden text,
    in English and French, for one dialogue or several."""
    evil = "<script>alert(\"x\")</script> & 'q'"
    dialogue = DialogueFactory(slug="evil", name=f"Named {evil}", name_fr=f"Nommé {evil}")
    topic = TopicFactory(name=f"Topic {evil}", name_fr=f"Sujet {evil}")
    for number, year in ((1, 2001), (None, 2002)):
        started = datetime.date(year, 5, 1)
        round_ = RoundFactory(dialogue=dialogue, number=number, start_date=started)
        AgendaItemFactory(round=round_, topics=[topic])
    AgendaItemFactory(round=RoundFactory(start_date=datetime.date(2003, 5, 1)), topics=[topic])
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;"
    for url in ("/topics/continuity/", "/topics/continuity/?dialogue=evil"):
        for prefix, named in (("", "Named"), ("/fr", "Nommé")):
            page = analyst_client.get(prefix + url).text
            assert "<script>alert" not in page
            assert f'title="{named} {escaped}, ' in page
            assert f'<span class="visually-hidden">{named} {escaped}, ' in page
            if "dialogue=" not in url:  # several dialogues: the short label names the dialogue
                assert f'<span aria-hidden="true">{named} {escaped} 1</span>' in page
