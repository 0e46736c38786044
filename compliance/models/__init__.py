"""The data compliance keeps beside the records it judges (DESIGN.md, "Safeguards as rules"): the
thresholds it checks against, safety inspections and injury insurance, staff declarations of
interest, the grievances register, and the checks run with their findings."""

from .checks import CheckFinding, ComplianceCheck
from .declarations import InterestDeclaration
from .grievances import Grievance
from .safety import InsuranceCover, SafetyInspection
from .thresholds import ComplianceThresholds

__all__ = [
    "CheckFinding",
    "ComplianceCheck",
    "ComplianceThresholds",
    "Grievance",
    "InsuranceCover",
    "InterestDeclaration",
    "SafetyInspection",
]
