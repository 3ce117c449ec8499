"""The planning board is kept once built (core/reportcache.py): what it reads, its filters'
choices included."""

from core import reportcache
from followup.models import FollowUpAction, FollowUpProject
from rounds.models import Dialogue, Round, Topic
from stakeholders.models import Organization

BOARD = reportcache.declare(
    "board", FollowUpProject, FollowUpAction, Organization, Topic, Round, Dialogue
)
