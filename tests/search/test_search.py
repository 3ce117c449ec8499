"""Site-wide search finds every kind of record a user looks for, says where each result belongs
(dialogue, round, year), ignores punctuation, and keeps to what the reader may see."""

import datetime

import pytest
from django.test import Client

from core.models import SecurityMarking
from core.references import reading_as
from search.selectors import search
from tests.followup.factories import BenchmarkEventFactory, FollowUpActionFactory
from tests.rounds.factories import (
    AgendaItemFactory,
    CaseOfConcernFactory,
    CommitmentFactory,
    DialogueFactory,
    MaterialFactory,
    RoundFactory,
    SiteVisitFactory,
)
from tests.stakeholders.factories import ConsultationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

PB = SecurityMarking.PROTECTED_B


def found(user, query) -> dict:
    """{group label: [(record text, url, context), ...]}, as `user` reads them."""
    with reading_as(user):
        return {
            group.label: [(str(r.record), r.url, r.context) for r in group.results]
            for group in search(query=query, user=user)
        }


@pytest.fixture
def round_9():
    jchr = DialogueFactory(name="Joint Committee on Human Rights", acronym="JCHR")
    return RoundFactory(dialogue=jchr, number=9, start_date=datetime.date(2005, 10, 24))


def test_it_finds_every_kind_of_record_with_its_round_as_context(analyst, round_9):
    SiteVisitFactory(round=round_9, city="Whitehorse", region="Yukon", country="CA")
    SiteVisitFactory(round=round_9, city="Lhasa", purpose="To see a school in Tibet")
    MaterialFactory(round=round_9, title="White paper on ethnic minorities")
    CommitmentFactory(round=round_9, text="Answer the list of detained journalists")
    ConsultationFactory(
        dialogue=round_9.dialogue, round=round_9, kind="debriefing", summary="NGOs on Tibet"
    )
    DialogueFactory(name="Symposium", description="A plurilateral forum on legal reform")
    BenchmarkEventFactory(title="Signature of the covenant", description="Signed in New York")
    AgendaItemFactory(round=round_9, title="Torture prevention")
    context = "JCHR, round 9 (2005)"

    (visit,) = found(analyst, "Whitehorse")["Site visits"]
    assert visit[1] == round_9.get_absolute_url() and visit[2].startswith("Yukon, Canada")
    assert "Lhasa" in found(analyst, "lhasa")["Site visits"][0][0]
    assert found(analyst, "ethnic minorities")["Materials"][0][2] == context
    assert found(analyst, "journalists")["Commitments"][0][2] == context
    assert found(analyst, "debriefing")["Consultations and debriefings"][0][2] == context
    assert "Symposium" in found(analyst, "legal reform")["Dialogues"][0][0]
    assert found(analyst, "covenant")["Benchmark events"]
    (item,) = found(analyst, "torture")["Agenda items"]
    assert item[2] == context  # an agenda item says which round it comes from
    action = FollowUpActionFactory(round=round_9, title="Send the translated report")
    (result,) = found(analyst, "translated report")["Actions"]
    assert result[1] == action.get_absolute_url() and result[2] == context


def test_the_page_shows_each_results_context(analyst_client, round_9):
    AgendaItemFactory(round=round_9, title="Torture prevention")
    page = analyst_client.get("/search/?q=torture").text
    assert "— JCHR, round 9 (2005)" in page


def test_punctuation_does_not_matter(analyst):
    AgendaItemFactory(title="Use of force by the police")
    OrganizationFactory(name="Rights and Democracy")
    AgendaItemFactory(title="Canada–China legal aid")
    assert found(analyst, "use-of-force")["Agenda items"][0][0] == "Use of force by the police"
    assert found(analyst, "Rights & Democracy")["Organizations"][0][0] == "Rights and Democracy"
    assert found(analyst, "canada-china legal")["Agenda items"]
    assert found(analyst, "&&&") == {}


def test_cases_are_found_by_any_name_for_case_officers_only(make_user, analyst):
    case = CaseOfConcernFactory(name="Li Hai", name_zh="李海", aliases="Lee Hai\nHai Li")
    officer = make_user("cora", "case_officer", clearance="protected_b")
    for query in ("Li Hai", "李海", "Lee Hai", "hai li"):
        assert found(officer, query)["Cases of concern"][0][1] == case.get_absolute_url(), query
    assert "Cases of concern" not in found(analyst, "Li Hai")  # Protected B, not a Case officer
    low = make_user("low", "case_officer", clearance="protected_a")
    assert "Cases of concern" not in found(low, "Li Hai")


def test_hidden_records_and_rounds_stay_hidden(make_user, round_9):
    reader = make_user("una", "analyst", clearance="unclassified")
    hidden_round = RoundFactory(dialogue=round_9.dialogue, number=10, security_marking=PB)
    SiteVisitFactory(round=round_9, city="Whitehorse", purpose="CANARY", security_marking=PB)
    MaterialFactory(round=hidden_round, title="Open paper of a hidden round")
    assert "Site visits" not in found(reader, "Whitehorse")
    ((_title, url, context),) = found(reader, "open paper")["Materials"]
    assert url is None and context == "restricted record"
    client = Client()
    client.force_login(reader)
    page = client.get("/search/?q=open+paper").text
    assert "Open paper of a hidden round" in page and "/rounds/" not in page.split("<main")[-1]


@pytest.mark.parametrize("rows", [1, 15])
def test_it_takes_a_fixed_number_of_queries(
    analyst_client, round_9, django_assert_max_num_queries, make_user, client, rows
):
    for n in range(rows):
        SiteVisitFactory(round=round_9, city=f"Whitehorse {n}")
        MaterialFactory(round=round_9, title=f"Whitehorse paper {n}")
        CommitmentFactory(round=round_9, text=f"Whitehorse promise {n}")
        AgendaItemFactory(round=round_9, title=f"Whitehorse item {n}")
        ConsultationFactory(dialogue=round_9.dialogue, round=round_9, summary=f"Whitehorse {n}")
        BenchmarkEventFactory(title=f"Whitehorse event {n}")
        FollowUpActionFactory(round=round_9, title=f"Whitehorse action {n}")
        CaseOfConcernFactory(name=f"Whitehorse {n}")
    with django_assert_max_num_queries(23):
        assert analyst_client.get("/search/?q=Whitehorse").status_code == 200
    client.force_login(make_user("cora", "case_officer", clearance="protected_b"))
    with django_assert_max_num_queries(23):
        assert client.get("/search/?q=Whitehorse").status_code == 200


def test_a_result_names_no_hidden_record_whoever_calls_the_search(make_user):
    """The search reads as its user even when called outside a request: an Unclassified event
    of a Protected B benchmark names its benchmark as a restricted record, not by name."""
    user = make_user("analyst-a", "analyst", clearance=SecurityMarking.PROTECTED_A)
    BenchmarkEventFactory(
        title="Ratification reported",
        benchmark__name="CANARY-BENCHMARK",
        benchmark__security_marking=PB,
    )
    (event,) = next(g for g in search(query="ratification", user=user) if g.results).results
    assert "CANARY" not in event.context and event.url is None
    assert "restricted record" in event.context
