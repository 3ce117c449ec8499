# ruff: noqa: F811 - the officer fixtures are imported from test_consultation_pages
"""A consultation's edit page sent twice (a second click on Save) with a new request: the second
sending answers as the first did, as a round's new rows and a delegation's new members do. It
was refused as someone else's save (the officer's own, the first sending), keeping the new
request in its box, so that saving again, as the refusal asked, recorded it twice."""

import pytest

from core import submissions
from stakeholders.models import ConsultationRequest
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

AGAIN = "was saved when this form was first sent, so it was not saved a second time."


def test_a_new_request_sent_twice_is_recorded_once(officer_client, debriefing):
    page = officer_client.get(edit_url(debriefing))
    rows = page.context["request_formset"]
    token = rows.extra_forms[0][submissions.TOKEN_FIELD].value()
    assert token  # each new request's box carries its one-time token
    data = edit_data(
        debriefing,
        request_row(3, "Brand new", **{submissions.TOKEN_FIELD: str(token)}),
    )

    first = officer_client.post(edit_url(debriefing), data)
    assert first.status_code == 302
    again = officer_client.post(edit_url(debriefing), data, follow=True)
    assert again.redirect_chain[0] == (first["Location"], 302)
    assert f"“{ConsultationRequest.objects.get(text='Brand new')}” {AGAIN}" in again.text
    texts = debriefing.request_items.values_list("text", flat=True)
    assert list(texts).count("Brand new") == 1

    # Drawn again, the page adds another; without its token too.
    debriefing.refresh_from_db()
    data = edit_data(debriefing, request_row(4, "Another"))
    assert officer_client.post(edit_url(debriefing), data).status_code == 302
    debriefing.refresh_from_db()
    data = edit_data(debriefing, request_row(5, "A third"))
    assert officer_client.post(edit_url(debriefing), data).status_code == 302
    assert debriefing.request_items.count() == 6
