from rounds.models.cases import CaseOfConcern, CaseRaising
from rounds.models.dialogues import Dialogue, Round
from rounds.models.topics import AgendaItem, Topic
from rounds.models.visits import Material, SiteVisit

__all__ = [
    "AgendaItem",
    "CaseOfConcern",
    "CaseRaising",
    "Dialogue",
    "Material",
    "Round",
    "SiteVisit",
    "Topic",
]
