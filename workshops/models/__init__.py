"""The work programme's register (DESIGN.md, "workshops/")."""

from .certificates import Certificate
from .consent import Consent, DeductionCategory
from .inventory import Batch, Reservation, ReservationLine, Stock, StockChange, StockMovement
from .locks import ProductionLock
from .partners import Contract, Partner
from .people import Assignment, FitnessClearance, Stay, Worker
from .places import Prison, Region, Workshop, WorkshopSupervisor
from .policy import WorkingTimePolicy
from .production import (
    LockedRecord,
    ProductionAdjustment,
    ProductionImport,
    ProductionRecord,
    SafetyIncident,
)
from .products import SKU
from .trades import Trade
from .training import Assessment, Course, Enrolment, TrainingAttendance

__all__ = [
    "SKU",
    "Assessment",
    "Assignment",
    "Batch",
    "Certificate",
    "Consent",
    "Contract",
    "Course",
    "DeductionCategory",
    "Enrolment",
    "FitnessClearance",
    "LockedRecord",
    "Partner",
    "Prison",
    "ProductionAdjustment",
    "ProductionImport",
    "ProductionLock",
    "ProductionRecord",
    "Region",
    "Reservation",
    "ReservationLine",
    "SafetyIncident",
    "Stay",
    "Stock",
    "StockChange",
    "StockMovement",
    "Trade",
    "TrainingAttendance",
    "Worker",
    "WorkingTimePolicy",
    "Workshop",
    "WorkshopSupervisor",
]
