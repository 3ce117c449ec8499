"""The briefing pack of round 11 of the Canada–China dialogue, on the reference data and a
recorded round 10: each section's content, its marking, who sees which section, and the Word
document that says the same."""

import datetime
import html
import io
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from docx import Document

from core.models import AccessLogEntry, SecurityMarking, Side
from followup.models import FollowUpProject
from rounds.models import AgendaItem, CaseRaising, Commitment, Dialogue, Round, Topic
from stakeholders.models import ConsultationRequest, Delegation
from tests.followup.factories import (
    BenchmarkEventFactory,
    BenchmarkFactory,
    FollowUpActionFactory,
    FollowUpProjectFactory,
)
from tests.rounds.factories import (
    AgendaItemFactory,
    CaseRaisingFactory,
    CommitmentFactory,
    MaterialFactory,
    RoundFactory,
)
from tests.stakeholders.factories import ConsultationFactory, DelegationFactory, PersonFactory

pytestmark = pytest.mark.django_db

PB, PA = SecurityMarking.PROTECTED_B, SecurityMarking.PROTECTED_A


def build_rounds_10_and_11():
    """Round 10 as officers record it (what each side said, a commitment a side, the
    delegations, materials, a debriefing, a case, actions) and round 11 planned."""
    from demo.reference import reference_data_load

    reference_data_load()
    jchr = Dialogue.objects.get(slug="canada-china-jchr")
    policing = Topic.objects.get(slug="policing")
    cases = Topic.objects.get(slug="cases-of-concern")
    religion = Topic.objects.get(slug="freedom-of-religion")
    ninth = jchr.rounds.get(number=9)
    Delegation.objects.filter(round=ninth, side=Side.PARTNER).update(
        head_rank=Delegation.HeadRank.DIRECTOR_GENERAL
    )
    ninth_policing = AgendaItem.objects.get(round=ninth, topics=policing)
    CommitmentFactory(
        round=ninth,
        agenda_item=ninth_policing,
        side=Side.PARTNER,
        text="Report on the police complaints system",
    )
    tenth = RoundFactory(
        dialogue=jchr,
        number=10,
        start_date=datetime.date(2026, 9, 14),
        end_date=datetime.date(2026, 9, 15),
        status=Round.Status.HELD,
    )
    police = AgendaItemFactory(
        round=tenth,
        title="Police violence and accountability",
        topics=[policing],
        our_points="Asked for the police firearms regulation.",
        partner_answer="Said the regulation is being drafted.",
    )
    AgendaItemFactory(round=tenth, title="List of cases of concern", topics=[cases])
    CommitmentFactory(
        round=tenth,
        agenda_item=police,
        side=Side.PARTNER,
        text="Send the police firearms regulation",
        due_date=datetime.date(2027, 3, 31),
    )
    CommitmentFactory(
        round=tenth, agenda_item=police, side=Side.LEAD, text="Host a study visit on oversight"
    )
    CommitmentFactory(
        round=tenth,
        agenda_item=police,
        side=Side.PARTNER,
        text="Publish the statistics already",
        status=Commitment.Status.MET,
        evidence="Published.",
    )
    DelegationFactory(
        round=tenth,
        side=Side.PARTNER,
        head=PersonFactory(full_name="Wang Jun"),
        head_rank=Delegation.HeadRank.DIRECTOR_GENERAL,
    )
    MaterialFactory(
        round=tenth,
        title="Police oversight in Canada",
        provided_by=Side.LEAD,
        in_english=True,
        in_french=True,
    )
    MaterialFactory(
        round=tenth,
        title="Regulation on police firearms",
        provided_by=Side.PARTNER,
        in_english=False,
        in_chinese=True,
    )
    debriefing = ConsultationFactory(
        dialogue=jchr,
        round=tenth,
        kind="debriefing",
        date=datetime.date(2026, 9, 30),
        summary="Debriefing of the NGOs on round 10.",
    )
    ConsultationRequest.objects.create(
        consultation=debriefing, text="Tell us what was said on police violence"
    )
    ConsultationRequest.objects.create(
        consultation=debriefing,
        text="Name the cases raised",
        answer="Not without consent.",
        answered_on=datetime.date(2026, 10, 5),
    )
    CaseRaisingFactory(
        round=tenth,
        case__name="Canary Person",
        case__security_marking=PB,
        security_marking=PB,
        response=CaseRaising.Response.INFORMATION,
        response_date=datetime.date(2026, 10, 30),
        response_summary="Released on bail.",
    )
    CaseRaisingFactory(
        round=tenth,
        case__name="Open Person",
        case__security_marking=PA,
        security_marking=PA,
        response_date=None,
    )
    project = FollowUpProjectFactory(
        title="Police oversight exchange", status="active", security_marking=PA
    )
    project.topics.set([policing])
    project.originating_rounds.set([tenth])
    benchmark = BenchmarkFactory(name="Police firearms regulation published", status="not_met")
    benchmark.topics.set([policing])
    BenchmarkEventFactory(
        benchmark=benchmark,
        date=datetime.date(2026, 11, 1),
        date_precision="month",
        title="Draft regulation circulated",
        direction="forward",
    )
    eu = Dialogue.objects.get(slug="eu-china")
    AgendaItemFactory(
        round=RoundFactory(dialogue=eu, number=40, start_date=datetime.date(2026, 6, 1)),
        topics=[policing],
    )
    AgendaItemFactory(round=eu.rounds.get(number=38), topics=[policing])  # 2023: too long ago
    eleventh = RoundFactory(
        dialogue=jchr,
        number=11,
        start_date=datetime.date(2027, 9, 1),
        end_date=None,
        date_precision="month",
        status=Round.Status.PLANNED,
        cities="Beijing",
    )
    AgendaItemFactory(round=eleventh, title="Police accountability", topics=[policing])
    AgendaItemFactory(round=eleventh, title="Freedom of religion", topics=[religion])
    DelegationFactory(
        round=eleventh,
        side=Side.PARTNER,
        head=PersonFactory(full_name="Zhang Min"),
        head_title="Director, MFA Human Rights Division",
        head_rank=Delegation.HeadRank.DIRECTOR,
    )
    DelegationFactory(round=eleventh, side=Side.LEAD, head=PersonFactory(full_name="Anne Leblanc"))
    return tenth, eleventh


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Loaded once for the module (each test's changes are undone after it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_rounds_10_and_11()
        transaction.set_rollback(True)


@pytest.fixture
def tenth(world):
    return world[0]


@pytest.fixture
def eleventh(world):
    return world[1]


@pytest.fixture
def officer(make_user):
    user = make_user("olivia", "officer", clearance="protected_a")
    user.first_name, user.last_name = "Olivia", "Officer"
    user.save()
    return user


@pytest.fixture
def actions(tenth, officer):
    FollowUpActionFactory(
        round=tenth,
        title="Send the list of detainees",
        due_date=datetime.date(2026, 10, 15),  # before today: overdue
        assignee=officer,
    )
    FollowUpActionFactory(
        round=tenth,
        title="Draft the study visit programme",
        due_date=datetime.date(2027, 1, 31),
        assignee=officer,
    )


def pack(client, round_, language=""):
    response = client.get(f"{language}/rounds/{round_.pk}/briefing/")
    assert response.status_code == 200
    return response


def text(response) -> str:
    """The pack's text, tags removed and spaces made one."""
    body = response.text.split('<div class="briefing">', 1)[1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def section(response, key) -> str:
    """One section's text."""
    body = response.text.split(f'<section aria-labelledby="{key}">', 1)[1].split("</section>")[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.fixture
def case_officer_client(client, make_user):
    client.force_login(make_user("cora", "case_officer", clearance="protected_b"))
    return client


def test_the_summary_names_the_sides_the_heads_the_drop_in_rank_and_what_to_press(
    analyst_client, eleventh
):
    summary = section(pack(analyst_client, eleventh), "summary")
    assert "September 2027" in summary and "2027-09-01" not in summary
    assert "China: Zhang Min, Director, MFA Human Rights Division — rank: Director" in summary
    assert "Canada: Anne Leblanc" in summary
    assert "Lead party" not in summary and "Partner party" not in summary
    assert (
        "Rank of the head of China's delegation at earlier rounds: "
        "10 (2026): Director general; 9 (2005): Director general"
    ) in summary
    assert "China has lowered the rank of its head of delegation" in summary
    assert "Police accountability" in summary and "Freedom of religion" in summary
    # The partner's oldest open commitments on the agenda's topics, oldest first.
    pressed = summary.split("Three things to press", 1)[1]
    assert pressed.index("Report on the police complaints system") < pressed.index(
        "Send the police firearms regulation"
    )
    assert "undertaken at round 9 (2005)" in pressed
    assert "due by March 31, 2027" in pressed
    assert "Host a study visit" not in pressed  # Canada's own
    assert "Publish the statistics already" not in pressed  # met


def test_no_drop_is_flagged_when_the_rank_holds(analyst_client, eleventh):
    Delegation.objects.filter(round=eleventh, side=Side.PARTNER).update(
        head_rank=Delegation.HeadRank.DIRECTOR_GENERAL
    )
    assert "has lowered the rank" not in section(pack(analyst_client, eleventh), "summary")


def test_each_topic_has_its_history_what_was_said_and_its_open_business(analyst_client, eleventh):
    topics = section(pack(analyst_client, eleventh), "topics")
    policing = topics.split("Policing and police accountability", 1)[1]
    assert policing.startswith(" Raised at earlier rounds 4 (1999), 6 (2002), 9 (2005), 10 (2026)")
    assert "What Canada said at round 10 (2026) Asked for the police firearms regulation." in (
        policing
    )
    assert "What China answered Said the regulation is being drafted." in policing
    assert "China: Send the police firearms regulation (round 10 (2026); due by" in policing
    assert "Canada: Host a study visit on oversight (round 10 (2026))" in policing
    assert "China: Report on the police complaints system (round 9 (2005))" in policing
    assert "Publish the statistics already" not in policing
    assert "Police oversight exchange (Active)" in policing
    assert (
        "Police firearms regulation published: Not met; latest: November 2026, "
        "Draft regulation circulated (Forward)"
    ) in policing
    # The other dialogues with China in the two years before round 11; not 2023's.
    assert (
        "Other dialogues with China, last two years EU–China Human Rights Dialogue: 40 (2026)"
    ) in policing
    assert "38 (2023)" not in policing
    religion = topics.split("Freedom of religion", 1)[1]
    assert "Raised at earlier rounds 3 (1998), 4 (1999), 5 (2000)" in religion
    assert "What Canada said at round 5 (2000) Not recorded" in religion
    assert "Other dialogues with China, last two years None" in religion


def test_ngo_input_since_the_last_round_and_the_requests_unanswered(analyst_client, eleventh):
    ngo = section(pack(analyst_client, eleventh), "ngo")
    held = ngo.split("Requests still unanswered")[0]
    assert "Sept. 30, 2026 Post-dialogue debriefing" in held
    assert "2005" not in held  # the roundtable before round 9: not since the last round
    unanswered = ngo.split("Requests still unanswered")[1]
    assert "Tell us what was said on police violence" in unanswered
    assert "Name the cases raised" not in unanswered
    # The reference roundtable's requests have no answer yet either.
    assert "Benchmarks that show whether the dialogue is effective Roundtable, May 2005" in (
        unanswered
    )


def test_materials_show_their_languages_and_what_is_missing_in_chinese(analyst_client, eleventh):
    materials = section(pack(analyst_client, eleventh), "materials")
    assert "Police oversight in Canada Last round Canada English, French Missing" in materials
    assert "Regulation on police firearms Last round China Chinese Yes" in materials


def test_open_actions_show_the_person_assigned_and_the_overdue_first(
    analyst_client, eleventh, actions
):
    shown = section(pack(analyst_client, eleventh), "actions")
    assert (
        "Send the list of detainees JCHR, round 10 (2026) Olivia Officer — 2026-10-15 (overdue)"
    ) in shown
    assert shown.index("Send the list of detainees") < shown.index("Draft the study visit")
    assert "2027-01-31 Open" in shown


def test_cases_are_for_case_officers_with_the_answer_and_the_days_it_took(
    client, make_user, eleventh
):
    client.force_login(make_user("ana", "analyst", clearance="protected_b"))
    page = pack(client, eleventh)
    assert "Canary Person" not in page.text
    assert "Cases to raise" not in page.text
    client.force_login(make_user("cora", "case_officer", clearance="protected_b"))
    cases = section(pack(client, eleventh), "cases")
    assert "Section marking: Protected B" in cases
    assert "Canary Person" in cases
    assert "Information provided: Released on bail. 2026-10-30 45" in cases
    assert "Open Person" in cases


def test_the_sections_markings_and_the_banner_are_the_highest_each_shows(
    client, make_user, eleventh
):
    client.force_login(make_user("cora", "case_officer", clearance="protected_b"))
    page = pack(client, eleventh)
    markings = dict(
        re.findall(
            r'<section aria-labelledby="(\w+)">.*?Section marking: ([\w ]+)</p>', page.text, re.S
        )
    )
    assert markings == {
        "summary": "Unclassified",
        "topics": "Protected A",  # the project
        "ngo": "Protected A",  # NGO consultations are held in confidence
        "materials": "Unclassified",
        "cases": "Protected B",
        "actions": "Unclassified",
    }
    assert "Security marking: Protected B" in page.text  # the banner: the Protected B case
    assert page["X-Security-Marking"] == PB
    # Below Protected B, the case is not read, and the banner does not claim it.
    client.force_login(make_user("carl", "case_officer", clearance="protected_a"))
    lower = pack(client, eleventh)
    assert "Canary Person" not in lower.text
    assert "Security marking: Protected A" in lower.text
    assert "Protected B" not in lower.text


# -- the Word document ----------------------------------------------------------------------------


def docx(client, round_, language=""):
    response = client.get(f"{language}/rounds/{round_.pk}/briefing/?format=docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    return response, Document(io.BytesIO(response.content))


def headings(document) -> list[str]:
    return [
        p.text for p in document.paragraphs if p.style.name in ("Heading 1", "Heading 2", "Title")
    ]


def page_headings(response) -> list[str]:
    body = response.text.split('<div class="briefing">', 1)[1]
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", "", found)).split())
        for found in re.findall(r"<h[123][^>]*>(.*?)</h[123]>", body, re.S)
    ]


def docx_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.mark.parametrize("language", ["", "/fr"])
def test_the_word_document_has_the_pages_headings_and_markings(
    case_officer_client, eleventh, actions, language
):
    page = pack(case_officer_client, eleventh, language)
    response, document = docx(case_officer_client, eleventh, language)
    assert headings(document) == page_headings(page)
    page_markings = re.findall(r'<p class="section-marking">([^<]+)</p>', page.text)
    docx_markings = [p.text for p in document.paragraphs if p.runs and p.runs[0].italic]
    assert [" ".join(m.split()) for m in page_markings] == docx_markings
    banner = re.search(r"security-banner--top[^>]*><p>([^<]+)</p>", page.text).group(1)
    section_ = document.sections[0]
    assert section_.header.paragraphs[0].text == banner
    assert section_.footer.paragraphs[0].text == banner
    assert response["X-Security-Marking"] == PB
    written = docx_text(document)
    if language:
        assert document.core_properties.language == "fr-CA"
        assert "septembre 2027" in written
    else:
        assert "September 2027" in written
        assert "Canary Person" in written
        assert "Olivia Officer" in written
        assert "What China answered" in headings(document) or "What China answered" in written


def test_the_word_document_keeps_what_the_reader_may_not_see_out(client, make_user, eleventh):
    client.force_login(make_user("carl", "case_officer", clearance="protected_a"))
    response, document = docx(client, eleventh)
    written = docx_text(document)
    assert "Canary Person" not in written
    assert "Open Person" in written
    assert response["X-Security-Marking"] == PA
    assert "Protected B" not in written
    assert document.sections[0].header.paragraphs[0].text == "Security marking: Protected A"
    client.force_login(make_user("ana", "analyst", clearance="protected_b"))
    _response, document = docx(client, eleventh)
    assert "Cases to raise" not in docx_text(document)


def test_the_word_document_is_access_logged_as_the_page_is(client, make_user, eleventh):
    client.force_login(make_user("cora", "case_officer", clearance="protected_b"))
    docx(client, eleventh)
    entry = AccessLogEntry.objects.get(username="cora")
    assert entry.path.endswith("/briefing/?format=docx")
    assert "rounds.caseraising" in entry.records


# -- the next round's pack -----------------------------------------------------------------------


def test_from_a_held_round_the_link_opens_the_next_planned_rounds_pack(
    analyst_client, tenth, eleventh
):
    page = analyst_client.get(tenth.get_absolute_url())
    assert f'href="/rounds/{tenth.pk}/briefing/next/"' in page.text
    opened = analyst_client.get(f"/rounds/{tenth.pk}/briefing/next/")
    assert opened.status_code == 302
    assert opened["Location"] == f"/rounds/{eleventh.pk}/briefing/"
    ninth = tenth.dialogue.rounds.get(number=9)
    assert analyst_client.get(f"/rounds/{ninth.pk}/briefing/next/")["Location"] == (
        f"/rounds/{eleventh.pk}/briefing/"
    )
    # A planned round's own pack is the next one.
    itself = analyst_client.get(f"/rounds/{eleventh.pk}/briefing/next/")
    assert itself["Location"] == f"/rounds/{eleventh.pk}/briefing/"


def test_with_no_round_planned_it_offers_to_plan_one_to_those_who_may(
    client, make_user, tenth, eleventh
):
    eleventh.status = Round.Status.HELD
    eleventh.save()
    client.force_login(make_user("olivia", "officer"))
    offered = client.get(f"/rounds/{tenth.pk}/briefing/next/")
    assert offered.status_code == 200
    assert "No round of JCHR is planned after" in offered.text
    assert 'href="/rounds/new/?dialogue=canada-china-jchr"' in offered.text
    assert f"/rounds/{tenth.pk}/briefing/" not in offered.text.replace("/briefing/next/", "")
    client.force_login(make_user("ana", "analyst"))
    refused = client.get(f"/rounds/{tenth.pk}/briefing/next/")
    assert "/rounds/new/" not in refused.text


# -- a fixed number of queries ---------------------------------------------------------------------


def test_the_page_and_the_document_keep_their_query_counts_as_the_dialogue_grows(
    case_officer_client, tenth, eleventh, actions
):
    url = f"/rounds/{eleventh.pk}/briefing/"

    def counts():
        found = []
        for query in ("", "?format=docx"):
            case_officer_client.get(url + query)
            with CaptureQueriesContext(connection) as queries:
                assert case_officer_client.get(url + query).status_code == 200
            found.append(len(queries))
        return found

    small = counts()
    policing = Topic.objects.get(slug="policing")
    police = AgendaItem.objects.get(round=tenth, topics=policing)
    for n in range(4):
        FollowUpActionFactory(round=tenth, title=f"More work {n}")
        CaseRaisingFactory(round=tenth)
        CommitmentFactory(round=tenth, agenda_item=police, text=f"More undertaken {n}")
        MaterialFactory(round=tenth)
        consultation = ConsultationFactory(dialogue=tenth.dialogue, date=datetime.date(2026, 10, 1))
        ConsultationRequest.objects.create(consultation=consultation, text=f"Ask {n}")
        project = FollowUpProjectFactory()
        project.topics.set([policing])
        benchmark = BenchmarkFactory()
        benchmark.topics.set([policing])
        BenchmarkEventFactory(benchmark=benchmark)
        AgendaItemFactory(
            round=RoundFactory(
                dialogue=Dialogue.objects.get(slug="eu-china"),
                number=41 + n,
                start_date=datetime.date(2026, 7, 1 + n),
            ),
            topics=[policing],
        )
    assert FollowUpProject.objects.count() > 4
    assert counts() == small
    assert small[0] <= 45
