"""axe-core finds no violation on the pages that name sides, list actions with who and how late,
show one action, search every kind of record and show history, in English and French."""

import datetime

import pytest
from django.utils import timezone

from followup.models import FollowUpAction, FollowUpProject
from rounds.models import CaseRaising, Round
from tests.browser.test_accessibility import assert_accessible
from tests.rounds.factories import CaseOfConcernFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def late_action(round_, project):
    return FollowUpAction.objects.create(
        title="Send the translated case list",
        description="In Chinese, before the next round.",
        round=round_,
        project=project,
        due_date=timezone.localdate() - datetime.timedelta(days=9),
    )


@pytest.mark.parametrize("language", ["", "/fr"])
def test_the_reading_pages_have_no_accessibility_violation(sign_in, live_server, language):
    round_ = Round.objects.get(dialogue__slug="canada-china-jchr", number=9)
    project = FollowUpProject.objects.first()
    action = late_action(round_, project)
    page = sign_in("officer")
    paths = [
        "/",
        "/search/?q=Whitehorse",
        "/search/?q=use-of-force",
        round_.get_absolute_url(),
        round_.dialogue.get_absolute_url(),
        project.get_absolute_url(),
        "/followup/projects/",
        "/followup/actions/",
        "/followup/actions/overdue/",
        f"/followup/actions/{action.pk}/",
        f"/history/followup/followupaction/{action.pk}/",
        f"/followup/actions/{action.pk}/edit/",
        f"/rounds/{round_.pk}/edit/",
    ]
    assert_accessible(page, live_server, [f"{language}{path}" for path in paths])


@pytest.mark.parametrize("language", ["", "/fr"])
def test_the_case_and_administration_pages_have_no_accessibility_violation(
    sign_in, live_server, language
):
    round_ = Round.objects.get(dialogue__slug="canada-china-jchr", number=9)
    case = CaseOfConcernFactory(name="Li Hai", name_zh="李海", aliases="Lee Hai")
    CaseRaising.objects.create(case=case, round=round_)
    page = sign_in("case_officer")
    assert_accessible(
        page, live_server, [f"{language}/cases/{case.pk}/", f"{language}/search/?q=Lee+Hai"]
    )
    page = sign_in("administrator", "ada")
    assert_accessible(page, live_server, [f"{language}/history/recent/"])
