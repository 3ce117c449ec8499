"""A small, complete world: one of every record, linked the way real data is."""

import datetime

from dialogue.models import Side
from followup.models import FollowUpAction
from rounds.models import CaseRaising
from stakeholders.models import ConsultationRequest
from tests.followup.factories import (
    BenchmarkEventFactory,
    FollowUpActionFactory,
    FollowUpProjectFactory,
)
from tests.rounds.factories import (
    AgendaItemFactory,
    CaseRaisingFactory,
    MaterialFactory,
    RoundFactory,
    SiteVisitFactory,
    TopicFactory,
)
from tests.stakeholders.factories import (
    ConsultationFactory,
    DelegationFactory,
    DelegationMemberFactory,
    OrganizationFactory,
    PersonFactory,
)


def build_world() -> dict:
    """Create one linked set of records and return one instance of each model by name."""
    round_ = RoundFactory()
    topics = [TopicFactory(parent=TopicFactory()), TopicFactory()]
    organization = OrganizationFactory(parent=OrganizationFactory())
    item = AgendaItemFactory(round=round_, topics=topics)
    item.presenting_organizations.add(organization)
    visit = SiteVisitFactory(round=round_)
    visit.topics.set(topics)
    visit.institutions.add(organization)
    head = PersonFactory(organization=organization)
    delegation = DelegationFactory(round=round_, side=Side.PARTNER, head=head)
    member = DelegationMemberFactory(delegation=delegation, person=head, role="head")
    DelegationMemberFactory(delegation=delegation)
    project = FollowUpProjectFactory(lead_agency=organization)
    project.topics.set(topics)
    project.originating_rounds.add(round_)
    project.partner_organizations.add(OrganizationFactory())
    action = FollowUpActionFactory(
        round=round_,
        project=project,
        owner_organization=organization,
        owner_person=head,
        status=FollowUpAction.Status.DONE,
        completed_on=round_.start_date + datetime.timedelta(days=10),
    )
    raising = CaseRaisingFactory(
        round=round_,
        response=CaseRaising.Response.INFORMATION,
        response_date=round_.start_date + datetime.timedelta(days=60),
    )
    consultation = ConsultationFactory(dialogue=round_.dialogue, round=None)
    consultation.organizations.add(organization)
    request = ConsultationRequest.objects.create(
        consultation=consultation, text="Debrief us on the cases raised"
    )
    event = BenchmarkEventFactory()
    event.benchmark.topics.set(topics)
    return {
        "dialogue": round_.dialogue,
        "round": round_,
        "topic": topics[0],
        "agendaitem": item,
        "sitevisit": visit,
        "material": MaterialFactory(round=round_),
        "caseofconcern": raising.case,
        "caseraising": raising,
        "organization": organization,
        "person": head,
        "delegation": delegation,
        "delegationmember": member,
        "consultation": consultation,
        "consultationrequest": request,
        "followupproject": project,
        "followupaction": action,
        "benchmark": event.benchmark,
        "benchmarkevent": event,
    }
