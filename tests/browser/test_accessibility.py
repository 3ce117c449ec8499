"""axe-core finds no violations on any main page."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from rounds.models import Round, Topic
from stakeholders.models import Organization

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PATHS = [
    "/",
    "/search/?q=police",
    "/rounds/",
    "/rounds/?year_from=abc",
    "/rounds/dialogues/canada-china-jchr/",
    "/topics/",
    "/topics/continuity/?dialogue=canada-china-jchr",
    "/topics/overlap/",
    "/stakeholders/organizations/",
    "/stakeholders/people/",
    "/stakeholders/consultations/",
    "/followup/projects/",
    "/followup/actions/",
    "/followup/benchmarks/",
]


def test_no_page_has_an_accessibility_violation(signed_in, live_server):
    page = signed_in
    round_ = Round.objects.get(dialogue__slug="canada-china-jchr", number=9)
    organization = Organization.objects.get(acronym="RCMP")
    paths = [
        *PATHS,
        round_.get_absolute_url(),
        Topic.objects.get(slug="freedom-of-religion").get_absolute_url(),
        organization.get_absolute_url(),
    ]
    axe = Axe()
    failures = {}
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        results = axe.run(page)
        if results.violations_count:
            failures[path] = results.generate_report()
    assert not failures, "\n\n".join(f"{path}\n{report}" for path, report in failures.items())
    assert not refused, "the Content Security Policy refused: " + "; ".join(refused)


def test_the_sign_in_page_has_no_accessibility_violation(page, live_server, transactional_db):
    page.goto(f"{live_server.url}/accounts/login/")
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
