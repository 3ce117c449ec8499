"""Writes that span a delegation and its members."""

from core.access import visible
from core.forms import stamp
from stakeholders.models import DelegationMember

HEAD, MEMBER = DelegationMember.Role.HEAD, DelegationMember.Role.MEMBER


def delegation_members_carry(*, delegation, confirmed, user) -> list[DelegationMember]:
    """Put members of an earlier round's delegation in `delegation`, each with the same person,
    organization, role and position. `confirmed` pairs each with whether they head it now:
    only that one keeps or takes the role of head."""
    carried = []
    for source, is_head in confirmed:
        member = DelegationMember(
            delegation=delegation,
            person_id=source.person_id,
            organization_id=source.organization_id,
            role=HEAD if is_head else (MEMBER if source.role == HEAD else source.role),
            position_at_time=source.position_at_time,
        )
        stamp(member, user, is_new=True)
        member.save()
        carried.append(member)
    return carried


def delegation_roles_sync(*, delegation, user) -> None:
    """Make the roles of the members `user` may see agree with the delegation's head: the
    head's membership says head, and any other member recorded as head becomes a member. Those
    the user may not see are left as they are."""
    members = visible(DelegationMember, user).filter(delegation=delegation)
    others = members.filter(role=HEAD)
    if delegation.head_id is not None:
        others = others.exclude(person=delegation.head_id)
    for member in others:
        member.role = MEMBER
        stamp(member, user, is_new=False)
        member.save()
    if delegation.head_id is not None:
        for member in members.filter(person=delegation.head_id).exclude(role=HEAD):
            member.role = HEAD
            stamp(member, user, is_new=False)
            member.save()
