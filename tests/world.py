"""A small, complete world: one of every record, linked the way real data is."""

import datetime

from core.models import Side
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
    CommitmentFactory,
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
        "commitment": CommitmentFactory(round=round_, agenda_item=item),
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


HIDDEN = "CANARY-HIDDEN zebrafinch"
HIDDEN_CASE = "CANARY-HIDDENCASE zebrafinch"


def mixed_world() -> dict:
    """Visible (Unclassified) records that point at hidden (Protected B) ones, each hidden one
    carrying a canary in every text a page might print: the edges of the scoping rule.

    - an Unclassified delegation headed by a Protected B person, who is also its member;
    - an Unclassified action in a Protected B project, owned by that hidden person;
    - an Unclassified project holding a Protected B action and a Protected B originating round;
    - a Protected B benchmark with an Unclassified event;
    - an Unclassified raising of a Protected B case, for the Case officers below Protected B;
    - an Unclassified agenda item, site visit, material and consultation in a Protected B round.
    """
    from core.models import SecurityMarking

    pb = SecurityMarking.PROTECTED_B
    shown_round = RoundFactory(summary="An open round")
    hidden_round = RoundFactory(
        dialogue=shown_round.dialogue,
        security_marking=pb,
        cities=f"{HIDDEN} city",
        summary=f"{HIDDEN} round summary",
    )
    hidden_person = PersonFactory(full_name=f"{HIDDEN} person", security_marking=pb)
    delegation = DelegationFactory(round=shown_round, side=Side.PARTNER, head=hidden_person)
    DelegationMemberFactory(delegation=delegation, person=hidden_person, role="head")
    hidden_project = FollowUpProjectFactory(title=f"{HIDDEN} project", security_marking=pb)
    action = FollowUpActionFactory(
        title="An open action in a hidden project",
        round=shown_round,
        project=hidden_project,
        owner_person=hidden_person,
    )
    shown_project = FollowUpProjectFactory(title="An open project")
    shown_project.originating_rounds.add(shown_round, hidden_round)
    hidden_action = FollowUpActionFactory(
        title=f"{HIDDEN} action", round=shown_round, project=shown_project, security_marking=pb
    )
    hidden_benchmark = BenchmarkEventFactory(
        benchmark__name=f"{HIDDEN} benchmark",
        benchmark__security_marking=pb,
        title="An open event of a hidden benchmark",
    )
    raising = CaseRaisingFactory(
        round=shown_round,
        case__name=f"{HIDDEN_CASE} detainee",
        case__security_marking=pb,
        security_marking=SecurityMarking.UNCLASSIFIED,
    )
    item = AgendaItemFactory(round=hidden_round, title="An open item of a hidden round")
    visit = SiteVisitFactory(round=hidden_round, city="Open city")
    material = MaterialFactory(round=hidden_round, title="An open paper of a hidden round")
    consultation = ConsultationFactory(dialogue=shown_round.dialogue, round=hidden_round)
    hidden_commitment = CommitmentFactory(
        round=shown_round, text=f"{HIDDEN} commitment", security_marking=pb
    )
    commitment = CommitmentFactory(round=hidden_round, text="An open promise of a hidden round")
    return {
        "dialogue": shown_round.dialogue,
        "round": shown_round,
        "hidden_round": hidden_round,
        "delegation": delegation,
        "hidden_person": hidden_person,
        "followupaction": action,
        "hidden_project": hidden_project,
        "followupproject": shown_project,
        "hidden_action": hidden_action,
        "benchmarkevent": hidden_benchmark,
        "hidden_benchmark": hidden_benchmark.benchmark,
        "caseraising": raising,
        "hidden_case": raising.case,
        "agendaitem": item,
        "sitevisit": visit,
        "material": material,
        "consultation": consultation,
        "commitment": commitment,
        "hidden_commitment": hidden_commitment,
    }
