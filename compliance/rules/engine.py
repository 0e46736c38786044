"""Running the rules over a scope and a period: the command line, the back office's task and
the tests all call ``run_check``.

    check_period(start, end)      ValidationError when reversed or (partly) in the future
    run_check(scopes, start, end, *, codes=None, progress=None) -> list[Finding]
        every registered rule (or those of ``codes``) over each scope, in the order of the
        rules' codes; ``progress(done, total)`` is called after each rule of each scope
"""

import datetime
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.models.checks import SEVERITY_ORDER
from compliance.rules import RULES
from compliance.rules.base import Finding
from compliance.rules.context import CheckContext, Scope


def check_period(start: datetime.date, end: datetime.date) -> None:
    if end < start:
        raise ValidationError(
            _("The period is reversed: %(end)s is before %(start)s.") % {"start": start, "end": end}
        )
    today = timezone.localdate()
    if end > today:
        raise ValidationError(
            _("The period ends on %(end)s, in the future: check up to today (%(today)s) at most.")
            % {"end": end, "today": today}
        )


def run_check(
    scopes: Scope | Iterable[Scope],
    start: datetime.date,
    end: datetime.date,
    *,
    codes: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Finding]:
    check_period(start, end)
    scopes = [scopes] if isinstance(scopes, Scope) else list(scopes)
    chosen = sorted(codes) if codes is not None else sorted(RULES)
    unknown = [code for code in chosen if code not in RULES]
    if unknown:
        raise ValidationError(_("No rule has the code %(codes)s.") % {"codes": ", ".join(unknown)})
    total = len(scopes) * len(chosen)
    findings: list[Finding] = []
    done = 0
    for scope in scopes:
        context = CheckContext(scope, start, end)
        for code in chosen:
            findings.extend(RULES[code].check(context))
            done += 1
            if progress:
                progress(done, total)
    return sorted(findings, key=_order)


def _order(finding: Finding):
    return (
        SEVERITY_ORDER.get(finding.severity, 9),
        finding.code,
        finding.scope,
        finding.worker or "",
        finding.start,
    )
