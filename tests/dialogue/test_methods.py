"""Pages answer GET, HEAD and POST; any other method is refused with a 405 before a view runs
(a PUT to a recording row's page used to get the page back, as if it were a GET). The API
keeps its own methods."""

import json

import pytest

from rounds.models import Commitment
from tests.rounds.factories import CommitmentFactory, RoundFactory
from tests.rounds.test_recording import officer, officer_client  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["put", "patch", "delete", "options", "trace"])
def test_a_page_refuses_methods_other_than_get_head_and_post(
    officer_client,  # noqa: F811
    method,
):
    round_ = RoundFactory()
    promise = CommitmentFactory(round=round_, text="Release the lawyers")
    for url in [
        f"/rounds/{round_.pk}/edit/commitments/{promise.pk}/",
        f"/rounds/{round_.pk}/edit/",
        f"/fr/rounds/{round_.pk}/",
        "/rounds/new/",
        "/admin/",
    ]:
        response = getattr(officer_client, method)(url, data="text=Changed")
        assert response.status_code == 405, (method, url)
        assert sorted(response["Allow"].split(", ")) == ["GET", "HEAD", "POST"]
    assert Commitment.objects.get().text == "Release the lawyers"
    assert officer_client.head(f"/rounds/{round_.pk}/").status_code == 200


def test_the_api_keeps_its_methods(admin_client):
    round_ = RoundFactory(summary="Before")
    url = f"/api/v1/rounds/{round_.pk}/"
    response = admin_client.patch(
        url,
        data=json.dumps({"summary": "After", "version": round_.version}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    round_.refresh_from_db()
    assert round_.summary == "After"
    assert admin_client.options(url).status_code == 200
