"""A consultation's page saves only its own requests: a request id posted that belongs to
another consultation (one the officer may not even see) refuses the save and is never dropped
while the page says the consultation was saved."""

import pytest

from stakeholders.models import ConsultationRequest
from tests.stakeholders.factories import ConsultationFactory
from tests.stakeholders.test_consultation_pages import (  # noqa: F401
    debriefing,
    edit_data,
    edit_url,
    officer,
    officer_client,
    request_row,
    round_,
)

pytestmark = pytest.mark.django_db


def test_another_consultations_request_posted_as_a_row_is_refused(
    officer_client,  # noqa: F811
    debriefing,  # noqa: F811
):
    other = ConsultationFactory(security_marking="protected_b")
    theirs = ConsultationRequest.objects.create(consultation=other, text="CANARY their request")
    data = edit_data(
        debriefing,
        request_row(0, "Name the cases, reworded", pk=theirs.pk),
        location="Gatineau",
    )
    response = officer_client.post(edit_url(debriefing), data)
    assert response.status_code == 200
    assert "nothing was saved" in response.text
    assert "CANARY" not in response.text
    assert "Name the cases, reworded" in response.text
    debriefing.refresh_from_db()
    assert debriefing.location == "Ottawa"
    theirs.refresh_from_db()
    assert theirs.text == "CANARY their request"
    assert list(debriefing.request_items.values_list("text", flat=True)) == [
        "Name the cases",
        "Share the agenda",
        "Meet again",
    ]
