"""Deterministic synthetic data at a chosen scale, for benchmarks and load tests.

Scale 1 is 100 times the evaluation report: 40 dialogues of 25 rounds, 400 topics, 15 agenda
items a round with one to three topics each, 5,000 organizations, 20,000 people, two delegations
of 12 members a round, 3,000 projects, 30,000 actions and 5,000 cases raised six times each on
average. Rows are written with bulk inserts (no history: this is not evidence); the same seed
and scale always give the same records.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import connection, transaction

from core.models import SecurityMarking, Side
from followup.models import FollowUpAction, FollowUpProject
from rounds.models import (
    AgendaItem,
    CaseOfConcern,
    CaseRaising,
    Commitment,
    Dialogue,
    Round,
    Topic,
)
from stakeholders.models import Delegation, DelegationMember, Organization, Person

PREFIX = "demo-"
BATCH = 2000
BASE = {
    "dialogues": 40,
    "rounds_per_dialogue": 25,
    "topics": 400,
    "items_per_round": 15,
    "organizations": 5000,
    "people": 20000,
    "members_per_delegation": 12,
    "projects": 3000,
    "actions": 30000,
    "cases": 5000,
    "raisings_per_case": 6,
}
PARTIES = ["CA", "AU", "CH", "DE", "GB", "JP", "NL", "NO", "SE", "US", "FR", "NZ"]
WORDS = [
    "rights",
    "law",
    "prison",
    "police",
    "women",
    "children",
    "religion",
    "minority",
    "labour",
    "press",
    "court",
    "legal",
    "aid",
    "torture",
    "detention",
    "education",
    "health",
    "language",
    "culture",
    "trade",
    "governance",
    "reform",
    "training",
    "judges",
    "lawyers",
    "internet",
    "speech",
    "assembly",
    "association",
    "treaty",
    "reporting",
    "cooperation",
]


@dataclass
class Plan:
    dialogues: int
    rounds_per_dialogue: int
    topics: int
    items_per_round: int
    organizations: int
    people: int
    members_per_delegation: int
    projects: int
    actions: int
    cases: int
    raisings_per_case: int


def plan_for(scale: float) -> Plan:
    """Counts at a scale; rounds per dialogue and items per round stay as at scale 1."""
    fixed = {
        "rounds_per_dialogue",
        "items_per_round",
        "members_per_delegation",
        "raisings_per_case",
    }
    return Plan(
        **{
            key: value if key in fixed else max(1, round(value * scale))
            for key, value in BASE.items()
        }
    )


def marking(rng) -> str:
    draw = rng.random()
    if draw < 0.05:
        return SecurityMarking.PROTECTED_B
    if draw < 0.15:
        return SecurityMarking.PROTECTED_A
    return SecurityMarking.UNCLASSIFIED


def phrase(rng, words=3) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def exists() -> bool:
    return Dialogue.objects.filter(slug__startswith=PREFIX).exists()


@transaction.atomic
def generate(scale: float = 1.0, seed: int = 2005) -> dict:
    """Create the demo records; returns the count written per kind."""
    rng = random.Random(seed)
    plan = plan_for(scale)
    today = datetime.date(2026, 1, 1)

    organizations = Organization.objects.bulk_create(
        [
            Organization(
                name=f"Demo organization {n:05d}",
                name_fr=f"Organisation démo {n:05d}" if n % 3 else "",
                acronym=f"DO{n}",
                country=rng.choice([*PARTIES, "CN", "CN", "CN"]),
                kind=rng.choice(list(Organization.Kind.values)),
            )
            for n in range(plan.organizations)
        ],
        batch_size=BATCH,
    )
    people = Person.objects.bulk_create(
        [
            Person(
                full_name=f"Demo person {n:05d}",
                position=phrase(rng, 2),
                organization=rng.choice(organizations),
                security_marking=marking(rng),
            )
            for n in range(plan.people)
        ],
        batch_size=BATCH,
    )
    topics = Topic.objects.bulk_create(
        [
            Topic(
                name=f"Demo topic {n:04d}: {phrase(rng, 2).lower()}",
                name_fr=f"Sujet démo {n:04d}",
                slug=f"{PREFIX}topic-{n:04d}",
                category=rng.choice(list(Topic.Category.values)),
            )
            for n in range(plan.topics)
        ],
        batch_size=BATCH,
    )
    dialogues = Dialogue.objects.bulk_create(
        [
            Dialogue(
                name=f"Demo dialogue {n:03d}",
                slug=f"{PREFIX}dialogue-{n:03d}",
                kind=Dialogue.Kind.BILATERAL,
                lead_party=PARTIES[n % len(PARTIES)],
                partner_party="CN",
                start_year=1990,
            )
            for n in range(plan.dialogues)
        ]
    )
    rounds = []
    for dialogue in dialogues:
        start = datetime.date(1990 + rng.randrange(5), rng.randrange(1, 12), 1)
        for number in range(1, plan.rounds_per_dialogue + 1):
            begins = start + datetime.timedelta(days=365 * (number - 1) + rng.randrange(200))
            rounds.append(
                Round(
                    dialogue=dialogue,
                    number=number,
                    start_date=begins,
                    end_date=begins + datetime.timedelta(days=rng.randrange(1, 4)),
                    status=Round.Status.HELD if begins < today else Round.Status.PLANNED,
                    host_country=rng.choice(["CN", dialogue.lead_party]),
                    cities=rng.choice(["Beijing", "Ottawa", "Geneva", "Lhasa", "Urumqi"]),
                    security_marking=marking(rng),
                )
            )
    rounds = Round.objects.bulk_create(rounds, batch_size=BATCH)

    items, links = [], []
    for round_ in rounds:
        for order in range(plan.items_per_round):
            items.append(
                AgendaItem(
                    round=round_,
                    order=order,
                    title=phrase(rng, 4),
                    segment=rng.choice(list(AgendaItem.Segment.values)),
                    security_marking=marking(rng),
                )
            )
    items = AgendaItem.objects.bulk_create(items, batch_size=BATCH)
    for item in items:
        for topic in rng.sample(topics, k=min(len(topics), rng.randint(1, 3))):
            links.append(AgendaItem.topics.through(agendaitem_id=item.pk, topic_id=topic.pk))
    AgendaItem.topics.through.objects.bulk_create(links, batch_size=BATCH * 5)

    # A commitment under about one item in three, most still open.
    commitments = []
    for item in items:
        if rng.random() >= 1 / 3:
            continue
        status = rng.choice([Commitment.Status.OPEN] * 3 + list(Commitment.Status.values))
        commitments.append(
            Commitment(
                round_id=item.round_id,
                agenda_item=item,
                side=rng.choice([Side.LEAD, Side.PARTNER]),
                text=phrase(rng, 6),
                status=status,
                evidence="" if status == Commitment.Status.OPEN else phrase(rng, 5),
                security_marking=item.security_marking,
            )
        )
    commitments = Commitment.objects.bulk_create(commitments, batch_size=BATCH)

    delegations = Delegation.objects.bulk_create(
        [
            Delegation(
                round=round_, side=side, head=rng.choice(people), security_marking=marking(rng)
            )
            for round_ in rounds
            for side in (Side.LEAD, Side.PARTNER)
        ],
        batch_size=BATCH,
    )
    members = []
    for delegation in delegations:
        for person in rng.sample(people, k=min(len(people), plan.members_per_delegation)):
            members.append(
                DelegationMember(
                    delegation=delegation,
                    person=person,
                    organization_id=person.organization_id,
                    role=DelegationMember.Role.MEMBER,
                )
            )
    DelegationMember.objects.bulk_create(members, batch_size=BATCH * 2)

    projects = FollowUpProject.objects.bulk_create(
        [
            FollowUpProject(
                title=f"Demo project {n:04d}: {phrase(rng).lower()}",
                lead_agency=rng.choice(organizations),
                status=rng.choice([s for s in FollowUpProject.Status.values if s != "completed"]),
                start_date=datetime.date(1995 + rng.randrange(30), 1, 1),
                budget_cad=rng.randrange(10_000, 5_000_000),
                security_marking=marking(rng),
            )
            for n in range(plan.projects)
        ],
        batch_size=BATCH,
    )
    project_links, project_rounds = [], []
    for project in projects:
        for topic in rng.sample(topics, k=min(len(topics), rng.randint(1, 3))):
            project_links.append(
                FollowUpProject.topics.through(followupproject_id=project.pk, topic_id=topic.pk)
            )
        project_rounds.append(
            FollowUpProject.originating_rounds.through(
                followupproject_id=project.pk, round_id=rng.choice(rounds).pk
            )
        )
    FollowUpProject.topics.through.objects.bulk_create(project_links, batch_size=BATCH * 5)
    FollowUpProject.originating_rounds.through.objects.bulk_create(
        project_rounds, batch_size=BATCH * 5
    )

    actions = []
    for n in range(plan.actions):
        round_ = rng.choice(rounds)
        due = round_.start_date + datetime.timedelta(days=rng.randrange(30, 720))
        done = rng.random() < 0.5 and due < today
        actions.append(
            FollowUpAction(
                title=f"Demo action {n:05d}: {phrase(rng).lower()}",
                round=round_,
                project=rng.choice(projects) if rng.random() < 0.6 else None,
                owner_organization=rng.choice(organizations),
                due_date=due,
                status=FollowUpAction.Status.DONE if done else rng.choice(["open", "in_progress"]),
                completed_on=due if done else None,
                security_marking=marking(rng),
            )
        )
    FollowUpAction.objects.bulk_create(actions, batch_size=BATCH)

    cases = CaseOfConcern.objects.bulk_create(
        [
            CaseOfConcern(
                name=f"Demo case {n:05d}",
                province=rng.choice(["Tibet", "Xinjiang", "Beijing", "Sichuan", "Guangdong"]),
                category=rng.choice(list(CaseOfConcern.Category.values)),
                detention_type=rng.choice(list(CaseOfConcern.Detention.values)),
                status=rng.choice(list(CaseOfConcern.Status.values)),
            )
            for n in range(plan.cases)
        ],
        batch_size=BATCH,
    )
    held = [r for r in rounds if r.status == Round.Status.HELD]
    raisings = []
    for case in cases:
        for round_ in rng.sample(
            held, k=min(len(held), rng.randint(1, 2 * plan.raisings_per_case - 1))
        ):
            answered = rng.random() < 0.6
            raisings.append(
                CaseRaising(
                    case=case,
                    round=round_,
                    response=rng.choice(["information", "acknowledged", "release_reported"])
                    if answered
                    else "none",
                    response_date=(
                        round_.end_date + datetime.timedelta(days=rng.randrange(1, 200))
                        if answered
                        else None
                    ),
                )
            )
    CaseRaising.objects.bulk_create(raisings, batch_size=BATCH)

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "dialogues": len(dialogues),
        "rounds": len(rounds),
        "topics": len(topics),
        "agenda items": len(items),
        "agenda item topics": len(links),
        "commitments": len(commitments),
        "organizations": len(organizations),
        "people": len(people),
        "delegations": len(delegations),
        "delegation members": len(members),
        "projects": len(projects),
        "actions": len(actions),
        "cases": len(cases),
        "case raisings": len(raisings),
    }
