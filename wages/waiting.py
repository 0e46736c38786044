"""What waits for finance officers and auditors: the queries behind the back office's home
panels.

- ``runs_to_approve``: calculated runs another officer calculated (four eyes: not one's own);
- ``runs_with_another_officer``: runs one calculated oneself, waiting for a second officer;
- ``runs_to_post``: approved runs;
- ``overdue_runs``: runs still open ``OVERDUE_AFTER`` after their period ended;
- ``last_verification``: the latest ledger verification run from the back office.
"""

import datetime

from wages.models import LedgerVerification, PayRun

OVERDUE_AFTER = datetime.timedelta(days=7)
OPEN = (PayRun.Status.DRAFT, PayRun.Status.CALCULATED, PayRun.Status.APPROVED)


def _runs():
    return PayRun.objects.select_related("prison").order_by("period_end", "reference")


def runs_to_approve(user):
    return _runs().filter(status=PayRun.Status.CALCULATED).exclude(calculated_by=user)


def runs_with_another_officer(user):
    return _runs().filter(status=PayRun.Status.CALCULATED, calculated_by=user)


def runs_to_post():
    return _runs().filter(status=PayRun.Status.APPROVED)


def overdue_runs(today: datetime.date):
    return _runs().filter(status__in=OPEN, period_end__lt=today - OVERDUE_AFTER)


def last_verification() -> LedgerVerification | None:
    return LedgerVerification.objects.select_related("run_by").order_by("-run_at").first()
