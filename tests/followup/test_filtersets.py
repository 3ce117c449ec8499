import datetime

import pytest
from django.utils import timezone

from followup.filtersets import (
    BenchmarkFilterSet,
    FollowUpActionFilterSet,
    FollowUpProjectFilterSet,
)
from followup.models import Benchmark, FollowUpAction, FollowUpProject
from tests.followup.factories import (
    BenchmarkFactory,
    FollowUpActionFactory,
    FollowUpProjectFactory,
)
from tests.rounds.factories import DialogueFactory, RoundFactory, TopicFactory
from tests.stakeholders.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def filtered(filterset_class, queryset, **params):
    filterset = filterset_class(params, queryset=queryset)
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs)


def test_projects_by_status_topic_dialogue_year_and_text():
    legal = TopicFactory(slug="legal-aid")
    round_ = RoundFactory(dialogue=DialogueFactory(slug="canada-china-jchr"))
    active = FollowUpProjectFactory(
        title="Legal aid training",
        status=FollowUpProject.Status.ACTIVE,
        start_date=datetime.date(2006, 4, 1),
    )
    active.topics.add(legal)
    active.originating_rounds.add(round_)
    proposed = FollowUpProjectFactory(title="Yunnan county", status="proposed")
    everyone = FollowUpProject.objects.all()
    assert filtered(FollowUpProjectFilterSet, everyone, status="proposed") == {proposed}
    assert filtered(FollowUpProjectFilterSet, everyone, topic="legal-aid") == {active}
    # The topic's lookup box gives its suggestion, "Name (#12)", or the name typed whole.
    for named in (f"{legal.name} (#{legal.pk})", legal.name.upper()):
        assert filtered(FollowUpProjectFilterSet, everyone, topic=named) == {active}
    assert filtered(FollowUpProjectFilterSet, everyone, dialogue=["canada-china-jchr"]) == {active}
    assert filtered(FollowUpProjectFilterSet, everyone, year=2006) == {active}
    assert filtered(FollowUpProjectFilterSet, everyone, q="yunnan") == {proposed}


def test_actions_overdue_status_dates_and_dialogue():
    today = timezone.localdate()
    round_ = RoundFactory(dialogue=DialogueFactory(slug="canada-china-jchr"))
    late = FollowUpActionFactory(round=round_, due_date=today - datetime.timedelta(days=1))
    FollowUpActionFactory(
        round=RoundFactory(),
        due_date=today - datetime.timedelta(days=2),
        status=FollowUpAction.Status.DONE,
        completed_on=today,
    )
    upcoming = FollowUpActionFactory(
        round=RoundFactory(), due_date=today + datetime.timedelta(days=5), title="Send materials"
    )
    everyone = FollowUpAction.objects.all()
    assert filtered(FollowUpActionFilterSet, everyone, overdue="true") == {late}
    assert filtered(FollowUpActionFilterSet, everyone, dialogue=["canada-china-jchr"]) == {late}
    assert filtered(FollowUpActionFilterSet, everyone, due_from=today.isoformat()) == {upcoming}
    assert filtered(FollowUpActionFilterSet, everyone, q="materials") == {upcoming}
    assert len(filtered(FollowUpActionFilterSet, everyone, status="done")) == 1


def test_benchmarks_by_kind_status_topic_and_text():
    iccpr = TopicFactory(slug="iccpr")
    treaty = BenchmarkFactory(name="China ratifies the ICCPR", kind="treaty", status="partly_met")
    treaty.topics.add(iccpr)
    constitution = BenchmarkFactory(name="Human rights in the constitution", kind="constitution")
    everyone = Benchmark.objects.all()
    assert filtered(BenchmarkFilterSet, everyone, kind="constitution") == {constitution}
    assert filtered(BenchmarkFilterSet, everyone, status="partly_met") == {treaty}
    assert filtered(BenchmarkFilterSet, everyone, topic="iccpr") == {treaty}
    assert filtered(BenchmarkFilterSet, everyone, q="ratifies") == {treaty}


def test_projects_by_agency_partner_and_the_years_they_were_under_way():
    agency, partner = OrganizationFactory(), OrganizationFactory()
    long_running = FollowUpProjectFactory(
        lead_agency=agency, start_date=datetime.date(2001, 1, 1), end_date=datetime.date(2004, 6, 1)
    )
    long_running.partner_organizations.add(partner)
    open_ended = FollowUpProjectFactory(start_date=datetime.date(2003, 1, 1))
    everyone = FollowUpProject.objects.all()
    assert filtered(FollowUpProjectFilterSet, everyone, agency=agency.pk) == {long_running}
    assert filtered(FollowUpProjectFilterSet, everyone, partner=partner.pk) == {long_running}
    assert filtered(FollowUpProjectFilterSet, everyone, year=2002) == {long_running}
    assert filtered(FollowUpProjectFilterSet, everyone, year=2004) == {long_running, open_ended}
    assert filtered(FollowUpProjectFilterSet, everyone, year=2010) == {open_ended}


@pytest.mark.parametrize("name", ["agency", "partner"])
def test_an_organization_in_hidden_projects_only_is_filtered_by_as_one_in_none(
    client, make_user, name
):
    """Accepting one and refusing the other would tell a reader without the clearance that the
    first leads (or is a partner in) a project hidden from them."""
    in_hidden, in_none = OrganizationFactory(), OrganizationFactory()
    hidden = FollowUpProjectFactory(lead_agency=in_hidden, security_marking="protected_b")
    hidden.partner_organizations.add(in_hidden)
    client.force_login(make_user("lou", "planner", clearance="unclassified"))
    answers = []
    for organization in (in_hidden, in_none):
        response = client.get(f"/followup/projects/?{name}={organization.pk}")
        assert response.status_code == 200
        form = response.context["filter"].form
        answers.append((form.is_valid(), list(response.context["table"].data)))
    assert answers == [(True, []), (True, [])]
