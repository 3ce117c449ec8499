"""The reports kept once built (core/reportcache.py), each with every model it reads: its
figures, the records it names and links to, and the choices of its filters."""

from django.contrib.auth import get_user_model

from core import reportcache
from followup.models import Benchmark, BenchmarkEvent, FollowUpAction, FollowUpProject
from rounds.models import (
    AgendaItem,
    CaseOfConcern,
    CaseRaising,
    Commitment,
    Dialogue,
    Material,
    Round,
    SiteVisit,
    Topic,
)
from stakeholders.models import (
    Consultation,
    ConsultationRequest,
    Delegation,
    DelegationMember,
    Organization,
    Person,
)

BRIEFING = reportcache.declare(
    "briefing",
    Dialogue,
    Round,
    AgendaItem,
    Topic,
    Commitment,
    Material,
    SiteVisit,
    CaseOfConcern,
    CaseRaising,
    Consultation,
    ConsultationRequest,
    Delegation,
    DelegationMember,
    Organization,
    Person,
    FollowUpProject,
    FollowUpAction,
    Benchmark,
    BenchmarkEvent,
    # An action's assignee, by name: a sign-in (last_login) changes nothing shown.
    (get_user_model(), ("first_name", "last_name", "username")),
)
CONTINUITY = reportcache.declare("continuity", Dialogue, Round, AgendaItem, Topic, FollowUpProject)
OVERLAP = reportcache.declare("overlap", Dialogue, Round, AgendaItem, Topic)
COVERAGE = reportcache.declare("coverage", Dialogue, Round, AgendaItem, Topic, FollowUpProject)
ENGAGEMENT = reportcache.declare(
    "engagement", Dialogue, Round, Consultation, ConsultationRequest, Organization
)
TRANSLATION_GAP = reportcache.declare("translation_gap", Dialogue, Round, Material)
CASE_ANSWERS = reportcache.declare("case_answers", Dialogue, Round, CaseRaising, CaseOfConcern)
