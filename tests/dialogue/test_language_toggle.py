"""The header's language toggle links only to this site, whatever address was typed."""

import re
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db

HOSTILE = [
    "//evil.example/",
    "//evil.example/fr/",
    "///evil.example/",
    "/\\evil.example",
    "/\\evil.example/",
    "/\\/evil.example/",
    "/fr//evil.example/",
    "/fr/\\evil.example",
    "/%2F%2Fevil.example/",
    "/%5Cevil.example",
]


def toggle(response) -> str:
    return re.search(r'lang-href="([^"]*)"', response.text).group(1)


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed in"])
@pytest.mark.parametrize("path", HOSTILE)
def test_the_toggle_of_a_404_stays_on_the_site(client, analyst, path, signed_in):
    if signed_in:
        client.force_login(analyst)
    # PATH_INFO as the server received it: the test client would read "//host" as a host.
    response = client.get("/", PATH_INFO=path)
    assert response.status_code == 404
    href = toggle(response)
    assert href in ("/", "/fr/"), href
    assert not urlsplit(href).netloc


def test_the_toggle_keeps_the_page_and_its_query(analyst_client):
    response = analyst_client.get("/rounds/?year_from=2005")
    assert toggle(response) == "/fr/rounds/?year_from=2005"
    french = analyst_client.get("/fr/rounds/?year_from=2005")
    assert toggle(french) == "/rounds/?year_from=2005"
