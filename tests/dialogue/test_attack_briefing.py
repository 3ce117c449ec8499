"""An outsider's attack on the briefing pack (issue 18): Protected B canaries reach no lower
reader through the page, the Word document (every part of it) or the next round's pack; the
Word document opens whatever the names hold and is headed with the highest marking it shows."""

import datetime
import io
import zipfile

import pytest
from django.test import override_settings
from docx import Document

from core.models import SecurityMarking, Side
from rounds.models import Round
from stakeholders.models import ConsultationRequest
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
    DialogueFactory,
    MaterialFactory,
    RoundFactory,
    TopicFactory,
)
from tests.stakeholders.factories import ConsultationFactory, DelegationFactory, PersonFactory

pytestmark = pytest.mark.django_db

PB, PA, U = (
    SecurityMarking.PROTECTED_B,
    SecurityMarking.PROTECTED_A,
    SecurityMarking.UNCLASSIFIED,
)
CANARY = "Canary"


@pytest.fixture
def canaries():
    """A dialogue with a held round and a planned one, and a Protected B canary in every kind
    of record the planned round's pack reads."""
    dialogue = DialogueFactory(name="Attack dialogue", acronym="ATK")
    topic = TopicFactory(name="Attack topic")
    held = RoundFactory(
        dialogue=dialogue,
        number=2,
        start_date=datetime.date(2022, 5, 1),
        status=Round.Status.HELD,
    )
    planned = RoundFactory(
        dialogue=dialogue,
        number=3,
        start_date=datetime.date(2030, 5, 1),
        status=Round.Status.PLANNED,
    )
    said = AgendaItemFactory(round=held, title="Said item", topics=[topic], our_points="Ours")
    AgendaItemFactory(
        round=held,
        title="CanaryItem",
        topics=[topic],
        partner_answer="CanaryAnswer",
        security_marking=PB,
    )
    AgendaItemFactory(round=planned, title="Planned item", topics=[topic])
    CommitmentFactory(
        round=held,
        agenda_item=said,
        text="CanaryCommitment",
        side=Side.PARTNER,
        security_marking=PB,
    )
    DelegationFactory(
        round=planned,
        side=Side.PARTNER,
        head=PersonFactory(full_name="CanaryHead", security_marking=PB),
    )
    consultation = ConsultationFactory(
        dialogue=dialogue,
        date=datetime.date(2023, 1, 1),
        summary="CanaryConsultation",
        security_marking=PB,
    )
    ConsultationRequest.objects.create(consultation=consultation, text="CanaryRequest")
    MaterialFactory(round=planned, title="CanaryMaterial", security_marking=PB)
    project = FollowUpProjectFactory(title="CanaryProject", security_marking=PB)
    project.topics.set([topic])
    project.originating_rounds.set([held])
    FollowUpActionFactory(round=held, title="CanaryAction", security_marking=PB)
    FollowUpActionFactory(
        round=held,
        project=project,
        title="Visible action",
        owner_person=PersonFactory(full_name="CanaryOwner", security_marking=PB),
    )
    hidden_benchmark = BenchmarkFactory(name="CanaryBenchmark", security_marking=PB)
    hidden_benchmark.topics.set([topic])
    benchmark = BenchmarkFactory(name="Visible benchmark")
    benchmark.topics.set([topic])
    BenchmarkEventFactory(
        benchmark=benchmark,
        date=datetime.date(2024, 1, 1),
        title="CanaryEvent",
        security_marking=PB,
    )
    other = DialogueFactory(name="Other dialogue", acronym="OTH")
    AgendaItemFactory(
        round=RoundFactory(
            dialogue=other,
            number=777,
            start_date=datetime.date(2029, 1, 1),
            security_marking=PB,
        ),
        topics=[topic],
    )
    # A raising marked below its case: a Case officer below Protected B sees the raising only.
    CaseRaisingFactory(round=held, case__name="CanaryCase", case__security_marking=PB)
    CaseRaisingFactory(
        round=held,
        case__name="CanaryLowCase",
        case__security_marking=PB,
        security_marking=PA,
    )
    return {"held": held, "planned": planned, "dialogue": dialogue}


def docx_parts(content: bytes) -> str:
    """Every XML part of a Word document (body, headers, footers, properties) as one text."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith((".xml", ".rels"))
        )


READERS = [
    ("analyst", PA),
    ("case_officer", PA),
    ("officer", PA),
    ("planner", PA),
    ("analyst", PB),  # not a Case officer: cases stay hidden
]


@pytest.mark.parametrize(("role", "clearance"), READERS)
def test_no_canary_reaches_a_lower_reader_by_the_pack_its_document_or_the_next_pack(
    client, make_user, canaries, role, clearance
):
    client.force_login(make_user("reader", role, clearance=clearance))
    planned, held = canaries["planned"], canaries["held"]
    page = client.get(f"/rounds/{planned.pk}/briefing/")
    assert page.status_code == 200
    document = client.get(f"/rounds/{planned.pk}/briefing/?format=docx")
    assert document.status_code == 200
    following = client.get(f"/rounds/{held.pk}/briefing/next/", follow=True)
    assert following.status_code == 200
    written = docx_parts(document.content)
    for shown in (page.text, written, following.content.decode()):
        found = shown.split(CANARY)[1:]
        if clearance == PB:  # everything but the cases may show
            assert "CanaryCase" not in shown and "CanaryLowCase" not in shown
            assert "CanaryAnswer" in page.text and "CanaryAnswer" in written
        else:
            assert not found, [w[:30] for w in found]
        if clearance == PA:
            assert "777" not in shown  # the hidden round of the other dialogue


def test_a_case_officer_below_protected_b_never_reads_a_protected_b_cases_name(
    client, make_user, canaries
):
    client.force_login(make_user("cora", "case_officer", clearance=PA))
    planned = canaries["planned"]
    page = client.get(f"/rounds/{planned.pk}/briefing/")
    document = client.get(f"/rounds/{planned.pk}/briefing/?format=docx")
    for shown in (page.text, docx_parts(document.content)):
        assert "CanaryLowCase" not in shown and "CanaryCase" not in shown


# -- the marking of the Word document -------------------------------------------------------------


def test_the_documents_marking_counts_the_round_itself(client, make_user):
    """A Protected B round with nothing recorded on it yet: its summary section is Protected B
    (the round's dates and place), so the document's header and footer must say so too."""
    round_ = RoundFactory(status=Round.Status.PLANNED, cities="Secret city", security_marking=PB)
    client.force_login(make_user("ana", "analyst", clearance=PB))
    page = client.get(f"/rounds/{round_.pk}/briefing/")
    assert "Security marking: Protected B" in page.text
    response = client.get(f"/rounds/{round_.pk}/briefing/?format=docx")
    assert response["X-Security-Marking"] == PB
    document = Document(io.BytesIO(response.content))
    assert "Section marking: Protected B" in [p.text for p in document.paragraphs]
    header = document.sections[0].header.paragraphs[0].text
    footer = document.sections[0].footer.paragraphs[0].text
    assert header == footer == "Security marking: Protected B"


# -- names that are hard to write as XML -----------------------------------------------------------

ODD_NAMES = [
    "A & B <w:t>x</w:t> ]]> \"quoted\" 'single'",
    "Tab\there, vertical\x0btab, form\x0cfeed, bell\x07",
    "Non-character \ufffe and \uffff end",
    "Line one\r\nline two\rline three",
]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_the_document_opens_and_shows_any_text_a_user_can_type(client, make_user, name):
    dialogue = DialogueFactory(name=f"Dialogue {name}", acronym=f"D{name[-6:]}")
    round_ = RoundFactory(dialogue=dialogue, status=Round.Status.PLANNED, cities=name)
    AgendaItemFactory(round=round_, title=f"Item {name}", topics=[TopicFactory(name=name)])
    MaterialFactory(round=round_, title=f"Material {name}")
    client.force_login(make_user("ana", "analyst", clearance=PB))
    with override_settings(DEBUG_PROPAGATE_EXCEPTIONS=False):
        page = client.get(f"/rounds/{round_.pk}/briefing/")
        response = client.get(f"/rounds/{round_.pk}/briefing/?format=docx")
    assert page.status_code == 200
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs] + [
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    ]
    assert any("Item A & B <w:t>x</w:t>" in t for t in texts) or "&" not in name
    assert any(t.startswith("Item ") for t in texts)
    assert any(t.startswith("Material ") for t in texts)


# -- the form renderer (jinja2/) ---------------------------------------------------------------


def test_the_form_renderer_escapes_every_name_it_draws(client, make_user):
    """Choices, labels and values drawn by the Jinja2 templates of jinja2/ are escaped."""
    DialogueFactory(name='Evil <script>alert("d")</script>', acronym="<b>EV</b>")
    client.force_login(make_user("ana", "analyst", clearance=PB))
    for url in ("/topics/continuity/", "/followup/coverage/", "/topics/overlap/"):
        page = client.get(url, {"year_from": '"><script>alert(1)</script>'}).text
        assert "<script>alert(" not in page, url
        assert "<b>EV</b>" not in page, url
