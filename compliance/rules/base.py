"""What every safeguard rule is and returns (DESIGN.md, "Safeguards as rules").

A **rule** is one small unit (``compliance/rules/<code>.py``): a subclass of ``Rule`` with its
stable ``code``, ``title``, ``source`` in the standards and default ``severity``, registered with
``@register``. ``check(context)`` reads the recorded data of the context's scope and period with
aggregates in the database (never a loop over workers in Python) and yields ``Finding``s.

A **finding** says which rule, how serious, for which scope, worker (by pseudonymous reference
only) and dates, the figures compared in words (``detail``) and as numbers (``figures``), and the
**evidence**: the records behind it, each an admin page an auditor can open. Data a rule needs
and cannot find is a finding too (``missing_data``), never a silent pass.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from compliance.models.checks import Severity
from compliance.rules.evidence import Evidence

CRITICAL, MAJOR, MINOR = Severity.CRITICAL.value, Severity.MAJOR.value, Severity.MINOR.value


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    scope: str
    start: datetime.date
    end: datetime.date
    detail: str
    worker: str | None = None
    evidence: tuple[Evidence, ...] = ()
    figures: dict = field(default_factory=dict)
    missing_data: bool = False

    def as_json(self) -> dict:
        """The object ``compliance_check --json`` prints (the contract in DESIGN.md)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "scope": self.scope,
            "worker": self.worker,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "detail": self.detail,
            "missing_data": self.missing_data,
            "figures": {key: _plain(value) for key, value in self.figures.items()},
            "evidence": [item.as_json() for item in self.evidence],
        }


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


class Rule:
    code: str
    title: str  # lazy translation, e.g. _("Hours per day within the limit")
    source: str  # e.g. "Mandela Rule 102"
    severity: str  # the default; a rule may give a finding another

    def check(self, context):
        """Yield the findings of ``context`` (a ``compliance.rules.context.CheckContext``)."""
        raise NotImplementedError

    def finding(self, context, *, detail, severity=None, **fields) -> Finding:
        """A finding of this rule in ``context``'s scope; ``start``/``end`` default to the period."""
        fields.setdefault("start", context.start)
        fields.setdefault("end", context.end)
        return Finding(
            code=self.code,
            severity=severity or self.severity,
            scope=fields.pop("scope", context.scope.label),
            detail=str(detail),
            **fields,
        )

    def missing(self, context, *, detail, severity=None, **fields) -> Finding:
        """A finding that the data this rule needs is not on file."""
        return self.finding(context, detail=detail, severity=severity, missing_data=True, **fields)


RULES: dict[str, Rule] = {}


def register(rule_class):
    """Class decorator: one instance of each rule, by its code."""
    if rule_class.code in RULES:
        raise ValueError(f"Two rules have the code {rule_class.code}")
    RULES[rule_class.code] = rule_class()
    return rule_class
