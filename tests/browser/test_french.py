"""The product in French: every main page under /fr/ shows no English interface string, carries
the right `lang` attributes, and passes axe-core."""

import re
from pathlib import Path

import polib
import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from followup.models import Benchmark, FollowUpProject
from rounds.models import CaseRaising, Round, Topic
from stakeholders.models import Organization
from tests.rounds.factories import CaseOfConcernFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|%%|\{\{.*?\}\}")
# The text a page shows, minus what is marked as being in another language (names recorded
# only in English or Chinese) and the design system's own components, which translate
# themselves from their `lang` attribute.
VISIBLE_TEXT = """() => {
  const clone = document.querySelector("main").cloneNode(true);
  clone.querySelectorAll("[lang]:not([lang='fr']), script, style").forEach(e => e.remove());
  return clone.innerText;
}"""


def recorded_texts() -> list[str]:
    """Every text recorded in the database (titles, summaries, requests, descriptions): data,
    shown in the language it was recorded in, so not interface to translate. Longest first."""
    from django.apps import apps
    from django.db import models

    texts = set()
    for label in ("rounds", "stakeholders", "followup"):
        for model in apps.get_app_config(label).get_models():
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, (models.CharField, models.TextField)) and not f.choices
            ]
            if not fields:
                continue
            for row in model._base_manager.values_list(*fields):
                texts.update(value for value in row if isinstance(value, str) and len(value) > 3)
    return sorted(texts, key=len, reverse=True)


def english_fragments() -> set[str]:
    """Interface wordings of two words or more whose French differs: none may show in French."""
    fragments = set()
    for entry in polib.pofile(str(CATALOGUE)):
        for english in filter(None, (entry.msgid, entry.msgid_plural)):
            for piece in PLACEHOLDER.split(english):
                piece = piece.strip(" .,:;()“”—-")
                if len(piece.split()) >= 2 and len(piece) >= 8 and piece not in entry.msgstr:
                    fragments.add(piece)
    return fragments


def french_paths() -> list[str]:
    round_ = Round.objects.get(dialogue__slug="canada-china-jchr", number=9)
    return [
        "/fr/",
        "/fr/rounds/",
        f"/fr/rounds/{round_.pk}/",
        f"/fr/rounds/{round_.pk}/briefing/",
        "/fr/rounds/dialogues/canada-china-jchr/",
        "/fr/rounds/translation-gap/",
        "/fr/topics/",
        Topic.objects.get(slug="freedom-of-religion").get_absolute_url().replace("/", "/fr/", 1),
        "/fr/topics/continuity/?dialogue=canada-china-jchr",
        "/fr/topics/overlap/",
        "/fr/stakeholders/organizations/",
        f"/fr/stakeholders/organizations/{Organization.objects.get(acronym='RCMP').pk}/",
        "/fr/stakeholders/people/",
        "/fr/stakeholders/consultations/",
        "/fr/stakeholders/engagement/",
        "/fr/followup/projects/",
        f"/fr/followup/projects/{FollowUpProject.objects.first().pk}/",
        f"/fr/followup/projects/new/?round={round_.pk}",
        "/fr/followup/actions/",
        "/fr/followup/actions/overdue/",
        "/fr/followup/board/",
        "/fr/followup/coverage/",
        "/fr/followup/benchmarks/",
        f"/fr/followup/benchmarks/{Benchmark.objects.first().pk}/",
        "/fr/search/?q=police",
        "/fr/cases/",
        "/fr/cases/answers/",
    ]


def test_every_main_page_is_in_french(sign_in, live_server):
    round_ = Round.objects.get(dialogue__slug="canada-china-jchr", number=9)
    case = CaseOfConcernFactory(name="Li Hai", name_zh="李海")
    CaseRaising.objects.create(case=case, round=round_)
    page = sign_in("planner")
    # The planner also works on cases, so that the case pages are checked too.
    planner = get_user_model().objects.get(username="planner")
    planner.groups.add(Group.objects.get(name="Case officers"))

    fragments = english_fragments()
    assert len(fragments) > 300  # the check has something to check
    data = recorded_texts()
    axe = Axe()
    leftovers, wrong_lang, violations = {}, {}, {}
    for path in [*french_paths(), f"/fr/cases/{case.pk}/"]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == "fr", path
        components = page.locator("gcds-header, gcds-top-nav, gcds-footer, gcds-breadcrumbs")
        langs = {components.nth(i).get_attribute("lang") for i in range(components.count())}
        if langs != {"fr"}:
            wrong_lang[path] = langs
        text = page.evaluate(VISIBLE_TEXT)
        for recorded in data:
            text = text.replace(recorded, " ")
        found = sorted(fragment for fragment in fragments if fragment in text)
        if found:
            leftovers[path] = found
        results = axe.run(page)
        if results.violations_count:
            violations[path] = results.generate_report()
    assert not leftovers, f"English left on French pages: {leftovers}"
    assert not wrong_lang, f"components not in French: {wrong_lang}"
    assert not violations, "\n\n".join(f"{p}\n{r}" for p, r in violations.items())


def test_the_language_toggle_leads_to_the_same_page(sign_in, live_server):
    page = sign_in("analyst")
    page.goto(f"{live_server.url}/rounds/?year_from=2005")
    href = page.locator("gcds-header").get_attribute("lang-href")
    assert href == "/fr/rounds/?year_from=2005"
    page.goto(f"{live_server.url}{href}")
    assert page.get_by_role("heading", level=1).inner_text() == "Séances"
    assert page.locator("gcds-header").get_attribute("lang-href") == "/rounds/?year_from=2005"
