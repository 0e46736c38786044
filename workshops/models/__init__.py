"""The work programme's register (DESIGN.md, "workshops/")."""

from .consent import Consent, DeductionCategory
from .partners import Contract, Partner
from .people import Assignment, FitnessClearance, Stay, Worker
from .places import Prison, Region, Workshop, WorkshopSupervisor
from .policy import WorkingTimePolicy
from .production import (
    ProductionAdjustment,
    ProductionImport,
    ProductionLock,
    ProductionRecord,
    SafetyIncident,
)
from .products import SKU
from .trades import Trade

__all__ = [
    "SKU",
    "Assignment",
    "Consent",
    "Contract",
    "DeductionCategory",
    "FitnessClearance",
    "Partner",
    "Prison",
    "ProductionAdjustment",
    "ProductionImport",
    "ProductionLock",
    "ProductionRecord",
    "Region",
    "SafetyIncident",
    "Stay",
    "Trade",
    "Worker",
    "WorkingTimePolicy",
    "Workshop",
    "WorkshopSupervisor",
]
