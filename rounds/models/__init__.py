from rounds.models.cases import CaseOfConcern, CaseRaising
from rounds.models.commitments import Commitment
from rounds.models.dialogues import Dialogue, Round
from rounds.models.topics import AgendaItem, Topic
from rounds.models.visits import Material, SiteVisit

__all__ = [
    "AgendaItem",
    "CaseOfConcern",
    "CaseRaising",
    "Commitment",
    "Dialogue",
    "Material",
    "Round",
    "SiteVisit",
    "Topic",
]
