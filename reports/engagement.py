"""NGO engagement: consultations before and after rounds, and the requests made."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from core.access import visible
from rounds.models import Round
from rounds.selectors import ROUND_LABEL_FIELDS
from stakeholders.models import Consultation, ConsultationRequest


@dataclass
class RoundEngagement:
    round: object
    briefed: bool
    debriefed_on: datetime.date | None
    consultations: int
    organizations: int

    @property
    def days_to_debriefing(self) -> int | None:
        if self.debriefed_on is None:
            return None
        return (self.debriefed_on - (self.round.end_date or self.round.start_date)).days


@dataclass
class Engagement:
    rounds: list
    requests: list
    consulted_once: list  # [(organization, consultation)]

    @property
    def answered(self) -> int:
        return sum(1 for request in self.requests if request.answered)


def engagement(*, rounds, user) -> Engagement:
    """Per held round: briefing, debriefing and the days from the round's end to it; every
    request the organizations made and whether it was answered; organizations consulted once
    and never again. Consultations between rounds count for the dialogues chosen."""
    held = (
        rounds.filter(status=Round.Status.HELD)
        .select_related("dialogue")
        .only(*ROUND_LABEL_FIELDS, "end_date", "security_marking")
    )
    rounds = {r.pk: r for r in held}  # at scale a thousand: only what a row and its label need
    dialogue_ids = {r.dialogue_id for r in rounds.values()}
    consultations = list(
        visible(Consultation, user)
        .filter(dialogue__in=dialogue_ids)
        .filter(Q(round__isnull=True) | Q(round__in=held.values("pk")))
        .select_related("dialogue", "round")
        .prefetch_related("organizations")
        .order_by("date", "pk")
    )
    by_round = defaultdict(list)
    seen_at = defaultdict(list)
    for consultation in consultations:
        if consultation.round_id:
            by_round[consultation.round_id].append(consultation)
        for organization in consultation.organizations.all():
            seen_at[organization].append(consultation)
    rows = []
    for pk, round_ in sorted(rounds.items(), key=lambda item: item[1].start_date):
        held = by_round[pk]
        debriefings = [c.date for c in held if c.kind == Consultation.Kind.DEBRIEFING]
        rows.append(
            RoundEngagement(
                round=round_,
                briefed=any(c.kind == Consultation.Kind.BRIEFING for c in held),
                debriefed_on=min(debriefings) if debriefings else None,
                consultations=len(held),
                organizations=len({o.pk for c in held for o in c.organizations.all()}),
            )
        )
    requests = list(
        visible(ConsultationRequest, user)
        .filter(consultation__in=[c.pk for c in consultations])
        .select_related("consultation__round")
        .order_by("consultation__date", "order", "pk")
    )
    once = sorted(
        ((org, found[0]) for org, found in seen_at.items() if len(found) == 1),
        key=lambda pair: (pair[1].date, pair[0].name),
    )
    return Engagement(rounds=rows, requests=requests, consulted_once=once)
