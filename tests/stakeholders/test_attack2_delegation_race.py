# ruff: noqa: F811 - the officer fixtures are imported from test_delegation_pages
"""A delegation saved while someone else's save of one of its members commits between the page's
version check and its own save (core.submissions.saving_once's block): the page says so, as the
consultation and round pages do, rather than answering 500; the form can be sent again."""

import pytest
from django.db.models import F

import stakeholders.forms
from stakeholders.models import DelegationMember
from tests.rounds.factories import RoundFactory
from tests.stakeholders.factories import DelegationFactory, DelegationMemberFactory
from tests.stakeholders.test_delegation_pages import (  # noqa: F401
    member_posted,
    member_url,
    officer,
    officer_client,
)

pytestmark = pytest.mark.django_db

RACED = "Someone else saved this delegation at the same moment"


@pytest.fixture
def racing(monkeypatch):
    """Someone else's save of each member being saved commits just after the page's check."""
    stamp = stakeholders.forms.stamp

    def stamp_after_a_racing_save(record, user, **kwargs):
        if isinstance(record, DelegationMember) and record.pk:
            DelegationMember.objects.filter(pk=record.pk).update(version=F("version") + 1)
        return stamp(record, user, **kwargs)

    monkeypatch.setattr(stakeholders.forms, "stamp", stamp_after_a_racing_save)


def test_a_member_saved_meanwhile_on_its_own_page_is_said_not_a_500(
    officer_client, racing, monkeypatch
):
    member = DelegationMemberFactory(
        delegation=DelegationFactory(round=RoundFactory()), position_at_time="Adviser"
    )
    opened = officer_client.get(member_url(member))
    data = member_posted(opened, **{"lead-members-0-position_at_time": "Senior adviser"})
    refused = officer_client.post(member_url(member), data)
    assert refused.status_code == 400
    assert RACED in refused.text
    assert 'value="Senior adviser"' in refused.text  # the entry is kept
    assert DelegationMember.objects.get(pk=member.pk).position_at_time == "Adviser"
    # Sent again from the page as it now is, once nobody else is saving: saved.
    monkeypatch.undo()
    again = officer_client.post(
        member_url(member),
        member_posted(
            officer_client.get(member_url(member)),
            **{"lead-members-0-position_at_time": "Senior adviser"},
        ),
    )
    assert again.status_code == 302
    assert DelegationMember.objects.get(pk=member.pk).position_at_time == "Senior adviser"
