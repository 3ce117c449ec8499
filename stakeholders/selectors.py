"""Participation of an organization or a person across rounds and roles."""

from dialogue.access import visible
from followup.models import FollowUpProject
from rounds.models import AgendaItem, SiteVisit
from stakeholders.models import Consultation, Delegation, DelegationMember


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
        "led_projects": visible(FollowUpProject, user).filter(lead_agency=organization),
        "partner_projects": visible(FollowUpProject, user).filter(
            partner_organizations=organization
        ),
        "children": organization.children.all(),
        "people": visible(organization.people.all(), user),
    }


def person_page(*, person, user) -> dict:
    return {
        "memberships": _memberships(user, person=person),
        "headed": visible(Delegation, user)
        .filter(head=person)
        .select_related("round__dialogue")
        .order_by("round__start_date"),
    }
