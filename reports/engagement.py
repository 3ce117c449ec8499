"""NGO engagement: consultations before and after rounds, and the requests made."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from core import reading
from core.access import visible
from core.paging import PagedRows
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
    rounds: PagedRows  # built a page at a time
    requests: list
    consulted_once: list  # [(organization, consultation)]

    @property
    def answered(self) -> int:
        return sum(1 for request in self.requests if request.answered)


def engagement(*, rounds, user) -> Engagement:
    """Per round: briefing, debriefing and the days from the round's end to it; every request
    the organizations made and whether it was answered; organizations consulted once and never
    again.

    Every consultation the user may see counts, whatever its kind and whatever its round's
    status: a debriefing recorded a minute ago for a round not yet marked held counts like the
    rest, and its round gets a row beside the held ones. Consultations between rounds count for
    the dialogues chosen. An organization was consulted "once and never again" when exactly one
    of all the consultations the user may see, in any dialogue and year, had it present, and
    that one is in the report. A fixed number of queries, whatever the data."""
    in_scope = visible(Consultation, user).filter(
        Q(round__in=rounds.values("pk"))
        | Q(round__isnull=True, dialogue__in=rounds.values("dialogue"))
    )
    listed = (
        rounds.filter(
            Q(status=Round.Status.HELD)
            | Q(pk__in=in_scope.exclude(round__isnull=True).values("round"))
        )
        .select_related("dialogue")
        .only(*ROUND_LABEL_FIELDS, "end_date", "security_marking")
    )
    # At scale a thousand rounds, fifty to a page: their order and markings are read as plain
    # values, and Round objects are built for the page shown (core/paging.py). Every round
    # listed counts towards the page (its pager), so the page is as marked as they are.
    order = list(
        listed.order_by("start_date", "dialogue__name", "pk").values_list("pk", "security_marking")
    )
    for marking in {marking for _pk, marking in order}:
        reading.note(None, None, marking)
    consultations = list(
        in_scope.select_related("dialogue", "round__dialogue")
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
    rows = PagedRows([pk for pk, _marking in order], listed, _round_row(by_round))
    requests = list(
        visible(ConsultationRequest, user)
        .filter(consultation__in=in_scope.values("pk"))
        .select_related("consultation__round")
        .order_by("consultation__date", "order", "pk")
    )
    once = _consulted_once(seen_at, in_scope, user=user)
    return Engagement(rounds=rows, requests=requests, consulted_once=once)


def _round_row(by_round):
    """A listed round's engagement row, from the consultations the report read."""

    def row(round_) -> RoundEngagement:
        held = by_round[round_.pk]
        debriefings = [c.date for c in held if c.kind == Consultation.Kind.DEBRIEFING]
        return RoundEngagement(
            round=round_,
            briefed=any(c.kind == Consultation.Kind.BRIEFING for c in held),
            debriefed_on=min(debriefings) if debriefings else None,
            consultations=len(held),
            organizations=len({o.pk for c in held for o in c.organizations.all()}),
        )

    return row


def _consulted_once(seen_at, in_scope, *, user) -> list:
    """Of the organizations present at a single consultation of the report, those that no other
    consultation the user may see had present either (one query)."""
    candidates = {org.pk: (org, found[0]) for org, found in seen_at.items() if len(found) == 1}
    presence = Consultation.organizations.through.objects
    links = presence.filter(
        organization__in=presence.filter(consultation__in=in_scope.values("pk")).values(
            "organization"
        ),
        consultation__in=visible(Consultation, user).values("pk"),
    )
    again = set(
        links.values("organization")
        .annotate(times=Count("consultation"))
        .filter(times__gt=1)
        .values_list("organization", flat=True)
    )
    once = [pair for pk, pair in candidates.items() if pk not in again]
    return sorted(once, key=lambda pair: (pair[1].date, pair[0].name))
