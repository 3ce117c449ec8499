"""NGO engagement: debriefings per round, requests and their answers, organizations consulted
once."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.lookups import label
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


# -- every consultation counts, the one saved a minute ago too -------------------------------------


@pytest.fixture
def officer_client(client, make_user):
    client.force_login(make_user("olive", "officer", clearance="protected_b"))
    return client


def once_and_never_again(client, query="") -> str:
    page = client.get(f"/stakeholders/engagement/{query}").text
    start = page.index("Organizations consulted once and never again")
    return page[start:]


def test_a_debriefing_saved_a_minute_ago_ends_once_and_never_again(officer_client):
    """An officer debriefs after the round that just ended, before anyone marks it held: the
    debriefing, its organizations and its request count at once."""
    today = timezone.localdate()
    ninth = RoundFactory(
        number=9,
        start_date=datetime.date(2005, 10, 31),
        end_date=datetime.date(2005, 11, 1),
        status="held",
    )
    tenth = RoundFactory(
        dialogue=ninth.dialogue,
        number=10,
        start_date=today - datetime.timedelta(days=3),
        end_date=today - datetime.timedelta(days=2),
        status="planned",
    )
    rights = OrganizationFactory(name="Rights and Democracy")
    ConsultationFactory(
        dialogue=ninth.dialogue, round=ninth, kind="workshop", date=datetime.date(2005, 11, 1)
    ).organizations.add(rights)
    assert "Rights and Democracy" in once_and_never_again(officer_client)

    saved = officer_client.post(
        f"/stakeholders/consultations/new/?round={tenth.pk}",
        {
            "round": str(tenth.pk),
            "kind": "debriefing",
            "date": today.isoformat(),
            "date_precision": "day",
            "format": "in_person",
            "organizations": label(rights),
            "security_marking": "protected_a",
            "requests-TOTAL_FORMS": "1",
            "requests-INITIAL_FORMS": "0",
            "requests-0-text": "Tell us what the partner answered on the cases",
        },
    )
    assert saved.status_code == 302, saved.text
    assert "Rights and Democracy" not in once_and_never_again(officer_client)
    page = officer_client.get("/stakeholders/engagement/").text
    assert str(tenth) in page  # its round has a row, debriefed today
    assert "0 of 1 requests answered." in page
    result = selectors.engagement(rounds=Round.objects.all(), user=saved.wsgi_request.user)
    rows = {row.round: row for row in result.rounds}
    assert rows[tenth].debriefed_on == today and rows[tenth].days_to_debriefing == 2
    assert rows[tenth].organizations == 1


def test_every_kind_of_consultation_counts_whatever_the_years_chosen(analyst, analyst_client):
    first = RoundFactory(start_date=datetime.date(2003, 2, 1), status="held")
    later = RoundFactory(
        dialogue=first.dialogue, start_date=datetime.date(2008, 2, 1), status="held"
    )
    returning, once = OrganizationFactory(name="Returning"), OrganizationFactory(name="Once")
    briefing = ConsultationFactory(
        dialogue=first.dialogue, round=first, kind="briefing", date=datetime.date(2003, 1, 10)
    )
    briefing.organizations.add(returning, once)
    ConsultationFactory(
        dialogue=first.dialogue, round=later, kind="roundtable", date=datetime.date(2008, 5, 1)
    ).organizations.add(returning)
    # Filtered to the early years, the later roundtable still means "consulted again".
    early = once_and_never_again(analyst_client, "?year_to=2005")
    assert "Once" in early and "Returning" not in early
    # An organization consulted in another dialogue was consulted again too.
    elsewhere = RoundFactory(start_date=datetime.date(2006, 1, 1), status="held")
    ConsultationFactory(
        dialogue=elsewhere.dialogue, round=elsewhere, date=datetime.date(2006, 1, 5)
    ).organizations.add(once)
    assert "Once" not in once_and_never_again(analyst_client, f"?dialogue={first.dialogue.slug}")


def test_only_the_consultations_the_reader_may_see_count(make_user, client):
    reader = make_user("una", "analyst", clearance="unclassified")
    client.force_login(reader)
    round_ = RoundFactory(start_date=datetime.date(2003, 2, 1), status="held")
    ngo = OrganizationFactory(name="Careful NGO")
    ConsultationFactory(
        dialogue=round_.dialogue, round=round_, security_marking="unclassified"
    ).organizations.add(ngo)
    ConsultationFactory(
        dialogue=round_.dialogue, round=round_, security_marking="protected_b"
    ).organizations.add(ngo)
    result = selectors.engagement(rounds=Round.objects.all(), user=reader)
    # What the reader cannot see neither shows nor gives itself away in a count.
    assert [org.name for org, _c in result.consulted_once] == ["Careful NGO"]
    assert {row.round: row.consultations for row in result.rounds}[round_] == 1


def test_the_page_keeps_a_fixed_query_count_with_consultations_of_every_kind(analyst_client):
    def add_round():
        round_ = RoundFactory(status="planned", start_date=datetime.date(2004, 3, 1))
        for kind in ["briefing", "debriefing", "workshop"]:
            consultation = ConsultationFactory(
                dialogue=round_.dialogue, round=round_, kind=kind, date=datetime.date(2004, 3, 5)
            )
            consultation.organizations.add(OrganizationFactory(), OrganizationFactory())
            ConsultationRequest.objects.create(consultation=consultation, text="Reply")

    def count():
        analyst_client.get("/stakeholders/engagement/")
        with CaptureQueriesContext(connection) as queries:
            assert analyst_client.get("/stakeholders/engagement/").status_code == 200
        return len(queries)

    add_round()
    small = count()
    for _ in range(4):
        add_round()
    assert count() == small
