"""The French catalogue is complete: no empty or fuzzy entry, no string `makemessages` would add
untranslated, and the compiled catalogue matches the source."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def sources() -> list[str]:
    """Our packages (those that live in the project folder), the templates and the catalogue."""
    ours = [
        path.name
        for path in Path(settings.BASE_DIR).iterdir()
        if (path / "__init__.py").exists() and path.name != "tests"
    ]
    return [*ours, "templates", "manage.py", "locale"]


def problems(catalogue: polib.POFile) -> list[str]:
    found = [f"empty: {entry.msgid!r}" for entry in catalogue.untranslated_entries()]
    found += [f"fuzzy: {entry.msgid!r}" for entry in catalogue.fuzzy_entries()]
    return found


def test_the_french_catalogue_has_no_empty_or_fuzzy_entry():
    assert problems(polib.pofile(str(CATALOGUE))) == []


def test_makemessages_would_add_no_untranslated_string(tmp_path):
    """Run makemessages on a copy of the sources: it keeps the existing translations, so anything
    it leaves empty or fuzzy is a string marked for translation but not translated."""
    for name in sources():
        source = Path(settings.BASE_DIR) / name
        target = tmp_path / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-location", "--no-obsolete"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "true", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    refreshed = polib.pofile(str(tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    assert problems(refreshed) == [], "run `make messages` and translate these"
    current = [entry for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete]
    assert len(refreshed.translated_entries()) == len(current), "strings no longer used"


def test_the_compiled_catalogue_is_the_source_compiled():
    source = polib.pofile(str(CATALOGUE))
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    wanted = {
        (e.msgid, e.msgstr or tuple(e.msgstr_plural.values())) for e in source.translated_entries()
    }
    have = {(e.msgid, e.msgstr or tuple(e.msgstr_plural.values())) for e in compiled if e.msgid}
    assert wanted == have, "run `make messages` to compile the catalogue"


def test_french_pages_live_under_fr_and_english_ones_where_they_were():
    with translation.override("fr"):
        assert reverse("rounds:round_list") == "/fr/rounds/"
    with translation.override("en"):
        assert reverse("rounds:round_list") == "/rounds/"


@pytest.mark.django_db
def test_a_french_page_is_in_french_with_a_toggle_to_the_same_page_in_english(analyst_client):
    page = analyst_client.get("/fr/rounds/?year_from=2005")
    assert page.status_code == 200
    assert '<html lang="fr">' in page.text
    assert 'lang-href="/rounds/?year_from=2005"' in page.text
    assert "Appliquer les filtres" in page.text
    english = analyst_client.get("/rounds/?year_from=2005")
    assert '<html lang="en">' in english.text
    assert 'lang-href="/fr/rounds/?year_from=2005"' in english.text


@pytest.mark.django_db
def test_an_anonymous_french_visitor_is_sent_to_the_french_sign_in(client):
    response = client.get("/fr/rounds/")
    assert response.status_code == 302
    assert response.url.startswith("/fr/accounts/login/")
    assert "Se connecter" in client.get(response.url).text


@pytest.mark.django_db
@override_settings(LANGUAGE_CODE="en")
def test_numbers_and_percentages_follow_the_locale():
    from core.formats import percent

    with translation.override("fr"):
        assert percent(67) == "67\u202f%"
    with translation.override("en"):
        assert percent(67) == "67%"
