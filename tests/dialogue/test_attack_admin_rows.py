"""An admin page saves only the inline rows it showed: a row marked above the administrator's
clearance since the page was opened (or another record's row posted in its place) refuses the
whole page with a message naming no hidden record, rather than being left out of a save the page
reports as done."""

import pytest
from django.urls import reverse

from followup.models import FollowUpAction
from rounds.models import AgendaItem
from tests.followup.factories import FollowUpActionFactory, FollowUpProjectFactory
from tests.helpers import as_posted
from tests.rounds.factories import AgendaItemFactory, RoundFactory

pytestmark = pytest.mark.django_db

GONE = "This record was removed, or is no longer one you may see"


@pytest.fixture
def staff_client(client, make_user):
    client.force_login(make_user("ada", "administrator", is_staff=True, clearance="protected_a"))
    return client


def test_an_inline_row_marked_above_the_users_clearance_meanwhile_is_refused(staff_client):
    project = FollowUpProjectFactory(title="Legal aid")
    action = FollowUpActionFactory(project=project, title="Send the texts")
    url = reverse("admin:followup_followupproject_change", args=[project.pk])
    form = as_posted(staff_client.get(url))
    FollowUpAction.objects.filter(pk=action.pk).update(
        security_marking="protected_b", title="CANARY raised meanwhile"
    )
    response = staff_client.post(
        url, form | {"title": "Legal aid, phase 2", "actions-0-title": "Send them"}
    )
    assert response.status_code == 200
    assert GONE in response.text
    assert "CANARY" not in response.text
    project.refresh_from_db()
    assert project.title == "Legal aid"
    assert FollowUpAction.objects.get().title == "CANARY raised meanwhile"


def test_another_rounds_agenda_item_posted_as_an_inline_row_is_refused(staff_client):
    round_, other = RoundFactory(cities="Ottawa"), RoundFactory()
    AgendaItemFactory(round=round_, title="Mine")
    theirs = AgendaItemFactory(round=other, title="Theirs")
    url = reverse("admin:rounds_round_change", args=[round_.pk])
    form = as_posted(staff_client.get(url))
    prefix = next(key for key in form if key.endswith("-0-title")).removesuffix("-0-title")
    form |= {f"{prefix}-0-id": str(theirs.pk), f"{prefix}-0-title": "Typed", "cities": "Hull"}
    response = staff_client.post(url, form)
    assert response.status_code == 200
    assert GONE in response.text
    round_.refresh_from_db()
    assert round_.cities == "Ottawa"
    assert sorted(AgendaItem.objects.values_list("title", flat=True)) == ["Mine", "Theirs"]
