"""axe-core finds no violations on any main page."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from followup.models import Benchmark, FollowUpProject
from rounds.models import CaseRaising, Round, Topic
from stakeholders.models import Organization
from tests.rounds.factories import CaseOfConcernFactory

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
    "/followup/board/",
    "/followup/coverage/",
    "/followup/actions/overdue/",
    "/rounds/translation-gap/",
    "/stakeholders/engagement/",
]


def test_no_page_has_an_accessibility_violation(signed_in, live_server):
    round_ = Round.objects.get(dialogue__slug="canada-china-jchr", number=9)
    organization = Organization.objects.get(acronym="RCMP")
    paths = [
        *PATHS,
        round_.get_absolute_url(),
        f"/rounds/{round_.pk}/briefing/",
        Topic.objects.get(slug="freedom-of-religion").get_absolute_url(),
        organization.get_absolute_url(),
        Benchmark.objects.first().get_absolute_url(),
        FollowUpProject.objects.first().get_absolute_url(),
    ]
    assert_accessible(signed_in, live_server, paths)


def test_the_planners_forms_have_no_accessibility_violation(sign_in, live_server):
    page = sign_in("planner")
    round_ = Round.objects.get(dialogue__slug="canada-china-jchr", number=9)
    project = FollowUpProject.objects.first()
    paths = [
        f"/followup/projects/new/?round={round_.pk}",
        f"/followup/projects/{project.pk}/edit/",
        f"/followup/actions/new/?round={round_.pk}",
    ]
    assert_accessible(page, live_server, paths)
    # A refused form, with its messages beside the fields, too.
    page.goto(f"{live_server.url}/followup/actions/new/")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("The record was not saved")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_case_pages_have_no_accessibility_violation(sign_in, live_server):
    round_ = Round.objects.get(dialogue__slug="canada-china-jchr", number=9)
    case = CaseOfConcernFactory(name="Li Hai", name_zh="李海")
    CaseRaising.objects.create(case=case, round=round_)
    page = sign_in("case_officer")
    paths = ["/cases/", f"/cases/{case.pk}/", "/cases/answers/", f"/rounds/{round_.pk}/briefing/"]
    assert_accessible(page, live_server, paths)


def assert_accessible(page, live_server, paths):
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
