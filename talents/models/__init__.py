from .awards import (
    AwardProgramme,
    AwardRound,
    Nomination,
    NominationMaterial,
    Objection,
    Review,
    person_name,
    private_storage,
)
from .demands import Industry, Match, TechDemand
from .registry import Degree, DoctorsCommittee, Field, Gender, Registry, Talent, TitleLevel

__all__ = [
    "AwardProgramme",
    "AwardRound",
    "Degree",
    "DoctorsCommittee",
    "Field",
    "Gender",
    "Industry",
    "Match",
    "Nomination",
    "NominationMaterial",
    "Objection",
    "Registry",
    "Review",
    "Talent",
    "TechDemand",
    "TitleLevel",
    "person_name",
    "private_storage",
]
