"""NGO engagement: debriefings per round, requests and their answers, organizations consulted
once."""

import datetime

import pytest

from reports import engagement as selectors
from rounds.models import Round
from stakeholders.models import ConsultationRequest
from tests.rounds.factories import RoundFactory
from tests.stakeholders.factories import ConsultationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_days_to_debriefing_requests_and_organizations_consulted_once(analyst, analyst_client):
    first = RoundFactory(
        start_date=datetime.date(2003, 2, 1), end_date=datetime.date(2003, 2, 3), status="held"
    )
    second = RoundFactory(
        dialogue=first.dialogue,
        start_date=datetime.date(2004, 2, 1),
        end_date=datetime.date(2004, 2, 3),
        status="held",
    )
    amnesty, once = OrganizationFactory(name="Amnesty"), OrganizationFactory(name="Only Once")
    debriefing = ConsultationFactory(
        dialogue=first.dialogue, round=first, kind="debriefing", date=datetime.date(2003, 3, 5)
    )
    debriefing.organizations.add(amnesty, once)
    briefing = ConsultationFactory(
        dialogue=first.dialogue, round=second, kind="briefing", date=datetime.date(2004, 1, 10)
    )
    briefing.organizations.add(amnesty)
    ConsultationRequest.objects.create(consultation=debriefing, text="Name the cases raised")
    ConsultationRequest.objects.create(
        consultation=debriefing,
        text="Share the agenda",
        answer="Sent by e-mail",
        answered_on=datetime.date(2003, 4, 1),
    )
    result = selectors.engagement(rounds=Round.objects.all(), user=analyst)
    rows = {row.round: row for row in result.rounds}
    assert rows[first].days_to_debriefing == 30
    assert rows[first].organizations == 2
    assert rows[second].debriefed_on is None and rows[second].briefed
    assert result.answered == 1 and len(result.requests) == 2
    assert [org.name for org, _c in result.consulted_once] == ["Only Once"]
    page = analyst_client.get("/stakeholders/engagement/").text
    assert "1 of 2 requests answered." in page
    assert "Only Once" in page


def test_an_answer_needs_its_date_and_cannot_precede_the_consultation():
    consultation = ConsultationFactory(date=datetime.date(2005, 5, 1))
    request = ConsultationRequest(consultation=consultation, text="x", answer="Yes")
    with pytest.raises(Exception, match="Give the date"):
        request.full_clean()
    request.answered_on = datetime.date(2005, 1, 1)
    with pytest.raises(Exception, match="cannot come before the consultation"):
        request.full_clean()


def test_the_reference_requests_load_as_separate_unanswered_requests(analyst_client):
    from django.core.management import call_command

    call_command("load_reference_data", verbosity=0)
    requests = ConsultationRequest.objects.all()
    assert requests.count() == 4
    assert not any(request.answered for request in requests)
    assert "0 of 4 requests answered." in analyst_client.get("/stakeholders/engagement/").text
