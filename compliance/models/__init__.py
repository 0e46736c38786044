"""The data compliance keeps beside the records it judges (DESIGN.md, "Safeguards as rules"): the
thresholds it checks against, safety inspections and injury insurance, staff declarations of
interest, the grievances register, the checks run with their findings, and the assessments that
judge a partner or workshop on them."""

from .assessments import Assessment, CorrectiveAction, Observation, Outcome, Response
from .checks import CheckFinding, ComplianceCheck
from .declarations import InterestDeclaration
from .grievances import Grievance
from .safety import InsuranceCover, SafetyInspection
from .thresholds import ComplianceThresholds

__all__ = [
    "Assessment",
    "CheckFinding",
    "ComplianceCheck",
    "ComplianceThresholds",
    "CorrectiveAction",
    "Grievance",
    "InsuranceCover",
    "InterestDeclaration",
    "Observation",
    "Outcome",
    "Response",
    "SafetyInspection",
]
