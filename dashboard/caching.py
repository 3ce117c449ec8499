"""The dashboard is kept once built (core/reportcache.py): what it reads."""

from django.contrib.auth import get_user_model

from core import reportcache
from followup.models import FollowUpAction, FollowUpProject
from rounds.models import AgendaItem, CaseOfConcern, CaseRaising, Commitment, Dialogue, Round, Topic
from stakeholders.models import Consultation, Organization

DASHBOARD = reportcache.declare(
    "dashboard",
    Dialogue,
    Round,
    AgendaItem,
    Topic,
    Commitment,
    Consultation,
    FollowUpAction,
    FollowUpProject,
    Organization,
    CaseRaising,
    CaseOfConcern,
    # An action's assignee, by name: a sign-in (last_login) changes nothing shown.
    (get_user_model(), ("first_name", "last_name", "username")),
)
