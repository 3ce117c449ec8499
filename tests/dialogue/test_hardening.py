"""Smaller edges: no password-reset views, the admin export page works under the CSP, and
search highlighting leaves HTML entities whole."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import NoReverseMatch, reverse

from search.selectors import highlight
from tests.rounds.factories import AgendaItemFactory

pytestmark = pytest.mark.django_db


class TestPasswordReset:
    @pytest.mark.parametrize(
        "path",
        [
            "/accounts/password_reset/",
            "/accounts/password_reset/done/",
            "/accounts/reset/MQ/set-password/",
            "/accounts/reset/done/",
            "/fr/accounts/password_reset/",
        ],
    )
    def test_its_addresses_are_not_found(self, client, path):
        assert client.get(path).status_code == 404
        assert client.post(path, {"email": "someone@example.org"}).status_code == 404

    def test_it_has_no_named_address(self):
        with pytest.raises(NoReverseMatch):
            reverse("password_reset")

    def test_signing_in_and_changing_one_s_password_remain(self, analyst_client):
        assert analyst_client.get("/accounts/password_change/").status_code == 200
        assert reverse("login") == "/accounts/login/"


class TestAdminExportUnderTheCsp:
    def test_the_export_page_has_no_inline_handler_or_style(self, admin_client):
        AgendaItemFactory()
        response = admin_client.get(reverse("admin:rounds_round_export"))
        assert response.status_code == 200
        assert 'class="select-toggle"' in response.text
        assert "onchange=" not in response.text
        form = response.text[response.text.index("<form") :]
        assert " style=" not in form
        nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
        assert f'src="/static/js/admin-export.js" nonce="{nonce}"' in response.text

    def test_the_script_wires_select_all(self):
        script = Path(finders.find("js/admin-export.js")).read_text(encoding="utf-8")
        assert 'addEventListener("change"' in script
        assert "input.select-toggle" in script


class TestHighlighting:
    @pytest.mark.parametrize(
        ("text", "query", "expected"),
        [
            ("Salt & pepper", "amp", "Salt &amp; pepper"),
            ("a < b and c > d", "lt gt", "a &lt; b and c &gt; d"),
            ('Say "me"', "quot", "Say &quot;me&quot;"),
            ("AT&T police", "police amp", "AT&amp;T <mark>police</mark>"),
            ("Fish & chips", "& chips", "Fish &amp; <mark>chips</mark>"),
            ("<b>Police</b>", "police", "&lt;b&gt;<mark>Police</mark>&lt;/b&gt;"),
            ("a <mark> b", "<mark>", "a <mark>&lt;mark&gt;</mark> b"),
            ("R&D", "r&d", "<mark>R&amp;D</mark>"),
        ],
    )
    def test_words_are_marked_on_the_text_and_every_piece_escaped(self, text, query, expected):
        assert highlight(text, query) == expected

    def test_search_results_keep_entities_whole(self, analyst_client):
        AgendaItemFactory(title="Legal aid & amp training")
        response = analyst_client.get("/search/?q=amp")
        assert "&<mark>" not in response.text
        assert "Legal aid &amp; <mark>amp</mark> training" in response.text
