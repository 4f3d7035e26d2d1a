from .awards import (
    AwardProgramme,
    AwardRound,
    Nomination,
    NominationMaterial,
    NominationQuota,
    Objection,
    Review,
    person_name,
    private_storage,
)
from .demands import Industry, Match, TechDemand
from .registry import Degree, DoctorsCommittee, Field, Registry, Talent

__all__ = [
    "AwardProgramme",
    "AwardRound",
    "Degree",
    "DoctorsCommittee",
    "Field",
    "Industry",
    "Match",
    "Nomination",
    "NominationMaterial",
    "NominationQuota",
    "Objection",
    "Registry",
    "Review",
    "Talent",
    "TechDemand",
    "person_name",
    "private_storage",
]
