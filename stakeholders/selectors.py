"""Participation of an organization or a person across rounds and roles; NGO engagement."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from core import charts
from core.access import visible
from core.history import visible_history
from core.references import unrestricted
from core.registry import page_context
from rounds.models import AgendaItem, SiteVisit
from rounds.selectors import previous_round
from stakeholders.models import (
    DELEGATION_SIDES,
    Consultation,
    ConsultationRequest,
    Delegation,
    DelegationMember,
)


def _memberships(user, **lookup):
    return (
        visible(DelegationMember, user)
        .filter(**lookup)
        .select_related("delegation__round__dialogue", "person", "organization")
        .order_by("delegation__round__start_date")
    )


def organization_page(*, organization, user) -> dict:
    return {
        "memberships": _memberships(user, organization=organization),
        "presented": visible(AgendaItem, user)
        .filter(presenting_organizations=organization)
        .select_related("round__dialogue"),
        "visits": visible(SiteVisit, user)
        .filter(institutions=organization)
        .select_related("round__dialogue"),
        "consultations": visible(Consultation, user)
        .filter(organizations=organization)
        .select_related("dialogue", "round__dialogue"),
        "children": organization.children.all(),
        "people": visible(organization.people.all(), user),
        **page_context("organization", organization=organization, user=user),
    }


def person_page(*, person, user) -> dict:
    return {
        "memberships": _memberships(user, person=person),
        "headed": visible(Delegation, user)
        .filter(head=person)
        .select_related("round__dialogue")
        .order_by("round__start_date"),
    }


# -- parts of the round and dialogue pages (registered in apps.py) ------------------------------

# Recording a consultation includes its requests and their answers (stakeholders/views.py).
RECORD_CONSULTATION = ("stakeholders.add_consultation", "stakeholders.add_consultationrequest")
EDIT_CONSULTATION = (
    "stakeholders.change_consultation",
    "stakeholders.add_consultationrequest",
    "stakeholders.change_consultationrequest",
    "stakeholders.delete_consultationrequest",
)


def round_part(*, round_, user, previous, **_context) -> dict:
    """A round's delegations, with how many members return from the previous round, and its
    consultations."""
    members = (
        visible(DelegationMember, user)
        .select_related("person", "organization")
        .order_by("role", "pk")
    )
    delegations = list(
        visible(Delegation, user)
        .filter(round=round_)
        .select_related("head")
        .prefetch_related(Prefetch("members", queryset=members))
    )
    continuity = delegation_continuity(delegations, previous, user=user)
    return {
        "delegations": [(d, continuity.get(d.side)) for d in delegations],
        "consultations": visible(Consultation, user)
        .filter(round=round_)
        .prefetch_related("organizations", "request_items"),
        "may_record_delegations": user.has_perms(RECORD_DELEGATIONS),
        "may_record_consultation": user.has_perms(RECORD_CONSULTATION),
        "may_edit_consultation": user.has_perms(EDIT_CONSULTATION),
    }


def _member_key(member):
    return ("person", member.person_id) if member.person_id else ("org", member.organization_id)


def delegation_continuity(delegations, previous, *, user) -> dict:
    """Per side, the share of this round's members who also attended the previous round."""
    if previous is None:
        return {}
    before = defaultdict(set)
    for side, person_id, organization_id in (
        visible(DelegationMember, user)
        .filter(delegation__round=previous)
        .order_by()  # the delegations' own order would join their rounds and dialogues
        .values_list("delegation__side", "person_id", "organization_id")
    ):
        before[side].add(("person", person_id) if person_id else ("org", organization_id))
    shares = {}
    for delegation in delegations:
        members = list(delegation.members.all())
        if members:
            returning = sum(1 for m in members if _member_key(m) in before[delegation.side])
            shares[delegation.side] = (returning, len(members))
    return shares


def dialogue_part(*, rounds, user, **_context) -> dict:
    """The rank of each side's head of delegation across a dialogue's rounds."""
    ranks = defaultdict(dict)
    for round_id, side, rank in (
        visible(Delegation, user)
        .filter(round__in=[r.pk for r in rounds])
        .values_list("round_id", "side", "head_rank")
    ):
        if rank:
            ranks[round_id][side] = Rank(rank, Delegation.HeadRank(rank).label)
    rank_rows = [(r, ranks[r.pk].get("lead"), ranks[r.pk].get("partner")) for r in rounds]
    return {"rank_rows": rank_rows, "rank_chart": _rank_chart(rank_rows)}


@dataclass
class Rank:
    value: int
    label: str


def _rank_chart(rank_rows) -> dict | None:
    """Each side's head rank across rounds, most senior at the top (core/charts.py)."""
    return charts.rank_lines(
        [(r.number or r.start_date.year, lead, partner) for r, lead, partner in rank_rows],
        [(level.value, level.label) for level in Delegation.HeadRank],
    )


# -- what changed under an officer's feet --------------------------------------------------------

REQUEST_CHANGES = {"+": _("added"), "~": _("changed"), "-": _("removed")}


def requests_changed_since(consultation, version, *, user) -> list[dict]:
    """The requests of `consultation` added, changed or removed by the saves that came after
    the given version of it: the product's page and the admin save the consultation (raising
    its version) before its requests. Two queries."""
    later = (
        consultation.history.filter(version__gt=version)
        .order_by("history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    if later is None:
        return []
    versions = ConsultationRequest.history.filter(
        consultation_id=consultation.pk, history_date__gte=later
    )
    rows = visible_history(versions, user).select_related("history_user").order_by("history_date")
    return [
        {
            "request": row.text[:80],
            "how": REQUEST_CHANGES.get(row.history_type, ""),
            "user": row.history_user or _("unknown"),
        }
        for row in rows
    ]


# -- recording a round's delegations (stakeholders/views.py: round_delegations) -----------------

# Recording a delegation includes adding, changing and removing its members.
RECORD_DELEGATIONS = (
    "stakeholders.add_delegation",
    "stakeholders.change_delegation",
    "stakeholders.add_delegationmember",
    "stakeholders.change_delegationmember",
    "stakeholders.delete_delegationmember",
)


@dataclass
class DelegationSide:
    """What the recording page knows of one side's delegation to a round."""

    side: str
    delegation: Delegation  # unsaved while the side has none
    # The head is a record the user may not see (or a member they may not see is recorded as
    # head): it is neither named nor changed from this page.
    head_hidden: bool
    # Members of the previous round's delegation on this side who are not in this one yet.
    carried: list
    # Whether the previous round's head among `carried` is offered as head.
    offer_previous_head: bool
    previous_head_id: int | None


def delegation_sides(*, round_, user) -> tuple:
    """The previous round the user may see, and each side of `round_` the user may record: a
    side whose delegation is above the user's clearance is left out, unnamed. Six queries."""
    recorded = set(Delegation.objects.filter(round=round_).values_list("side", flat=True))
    shown = {
        delegation.side: delegation
        for delegation in visible(Delegation, user).filter(round=round_).select_related("head")
    }
    members = visible(DelegationMember, user)
    # Only whether a hidden member is recorded as head, per delegation: never who.
    hidden_heads = set(
        DelegationMember.objects.filter(delegation__round=round_, role=DelegationMember.Role.HEAD)
        .exclude(pk__in=members.filter(delegation__round=round_).values("pk"))
        .values_list("delegation__side", flat=True)
    )
    present = defaultdict(set)  # who is already in each side's delegation, seen or not
    headed = set()  # the sides where a member is recorded as head
    for side, person_id, organization_id, role in DelegationMember.objects.filter(
        delegation__round=round_
    ).values_list("delegation__side", "person_id", "organization_id", "role"):
        present[side].add(("person", person_id) if person_id else ("org", organization_id))
        if role == DelegationMember.Role.HEAD:
            headed.add(side)
    previous = previous_round(round_, user=user)
    before = defaultdict(list)
    if previous is not None:
        for member in (
            members.filter(delegation__round=previous)
            .select_related("delegation", "person", "organization")
            .order_by("role", "pk")
        ):
            before[member.delegation.side].append(member)
    sides = []
    for side, _label in DELEGATION_SIDES:
        delegation = shown.get(side)
        if delegation is None and side in recorded:
            continue  # above the user's clearance
        if delegation is None:
            # Marked at least as the round it belongs to (core.models: no reference upwards).
            delegation = Delegation(side=side, security_marking=round_.security_marking)
        delegation.round = round_  # read once for both sides
        with unrestricted():
            head_id = delegation.head_id
            head_hidden = side in hidden_heads or (
                head_id is not None and not delegation.head.is_visible_to(user)
            )
        carried = [m for m in before[side] if _member_key(m) not in present[side]]
        previous_head_id = _previous_head_id(before[side])
        has_head = head_id is not None or side in headed
        sides.append(
            DelegationSide(
                side=side,
                delegation=delegation,
                head_hidden=head_hidden,
                carried=carried,
                offer_previous_head=not has_head and not head_hidden,
                previous_head_id=previous_head_id,
            )
        )
    return previous, sides


def _previous_head_id(members) -> int | None:
    """The person who headed the previous round's delegation, as far as the user may see."""
    for member in members:
        head_id = member.delegation.head_id
        if head_id is not None:
            return head_id if any(m.person_id == head_id for m in members) else None
    roles = [m.person_id for m in members if m.role == DelegationMember.Role.HEAD and m.person_id]
    return roles[0] if len(roles) == 1 else None
