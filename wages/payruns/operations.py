"""Pay runs: create, calculate, approve, post and cancel (DESIGN.md, "Ledger").

    create_pay_run(*, prison, period_start, period_end, user) -> PayRun
    calculate_pay_run(run, *, user, progress=None) -> PayRun   draft or calculated → calculated
    approve_pay_run(run, *, user) -> PayRun       calculated → approved, by another officer
    post_pay_run(run, *, user, progress=None) -> PayRun   approved → posted (once, however many try)
    cancel_pay_run(run, *, user, reason) -> PayRun   any state before posted → cancelled

``progress(done, total)``, when given, is told how far the long steps have got (workers
calculated, journals posted), a batch at a time: the background jobs show it (``wages.payruns.tasks``).

Each checks the user's permission, works in one transaction on the run's row lock, and writes the
audit log. Calculation locks the records it pays (``workshops.production.lock_production``), so a
change afterwards is a logged production adjustment, paid or recovered by the next regular run;
a posted run is never edited. Approval is the four-eyes rule: the officer who calculated a run
cannot approve it (checked here, and by a database constraint). Approval pins the hash of the
lines; posting refuses when the lines no longer match it or a record was adjusted since the
calculation, then writes one journal per worker into the run's own chain, dated on the period's
last day, and closes the chain into the checkpoint sequence:

    debit  wages-expense (own work, training) / partner:<id>:labour (partner work)   gross
    credit worker:<ref>:own-spending, :<category> (categories credited to the worker: family,
           release savings…), deduction:<code> (held for others)                      the split
    debit  wages-expense:back-wages / partner:<id>:labour,  credit worker:<ref>:back-wages
                                                          any shortfall below the wage floor

and, each in its own journal (``…:<worker>:sales-share``, ``…:<worker>:back-wages-paid``):

    debit  sales-share-expense,  credit worker:<ref>:own-spending     the makers' share of sales
    debit  worker:<ref>:back-wages,  credit worker:<ref>:own-spending  back wages paid out once
                                                          their payer's receipts hold them

Posting first makes the run's lock final (``workshops.production.finalise_production_lock``):
its records are never freed to be paid again, and an adjustment of one of them waits for the
posting's commit on the lock's row, so it is either seen by the check above (posting refuses) or
left for the next run to pay, never settled unpaid. ``wages.payruns.verification`` checks that
every posted run still holds what it paid.

Here: creating, calculating, approving and cancelling; posting is ``wages.payruns.posting``, what
each worker is paid ``wages.payruns.calculation``.
"""

import datetime
import itertools
import json
from operator import attrgetter

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import JSONField
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.formatting import format_day
from core.garbage import collector_paused
from wages.models import PayRun, PayRunLine
from wages.pay.policies import policy_on
from wages.payruns.amounts import money_text
from wages.payruns.calculation import calculate_lines
from wages.payruns.line_additions import add_shares_and_payouts
from wages.payruns.line_hashes import lines_hash, lines_match
from wages.payruns.records import attendance_to_pay, locked_records, records_to_pay
from workshops.models import Prison
from workshops.production import (
    lock_production,
    unlock_production,
)

CALCULATE = "wages.add_payrun"
APPROVE = "wages.approve_payrun"
POST = "wages.post_payrun"
CANCEL = "wages.change_payrun"
LINE_BATCH = 2_000


def require_permission(user, permission: str) -> None:
    if user is None or not user.has_perm(permission):
        raise PermissionDenied(_("You may not do this to pay runs."))


def locked_run(run: PayRun) -> PayRun:
    return PayRun.objects.select_for_update().select_related("prison").get(pk=run.pk)


@transaction.atomic
def create_pay_run(
    *, prison, period_start: datetime.date, period_end: datetime.date, user
) -> PayRun:
    """A draft run. Refused when the period is out of order or overlaps another run of the
    prison that is not cancelled.

    Creations for one prison take turns on the prison's row (``FOR NO KEY UPDATE``, which does
    not block rows that refer to the prison), so the second one sees the first one's run and is
    refused by the check below. Without the turn both would pass the check and meet at the
    exclusion constraint, where PostgreSQL may end one of them as a deadlock instead of a
    violation; the constraint stays as the guard against writes that bypass this service."""
    require_permission(user, CALCULATE)
    if period_end < period_start:
        raise ValidationError(_("A pay run's last day is on or after its first."))
    Prison.objects.select_for_update(no_key=True).only("pk").get(pk=prison.pk)
    overlapping = (
        PayRun.objects.select_for_update()
        .filter(prison=prison, period_start__lte=period_end, period_end__gte=period_start)
        .exclude(status=PayRun.Status.CANCELLED)
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            _(
                "Pay run %(reference)s already covers %(start)s to %(end)s for %(prison)s: "
                "cancel it or choose another period."
            )
            % {
                "reference": overlapping.reference,
                "start": format_day(overlapping.period_start),
                "end": format_day(overlapping.period_end),
                "prison": prison,
            }
        )
    reference = f"PR-{prison.slug}-{period_start:%Y-%m-%d}"
    earlier = PayRun.objects.filter(reference__startswith=reference).count()
    if earlier:
        reference = f"{reference}-{earlier + 1}"
    try:
        with transaction.atomic():
            run = PayRun.objects.create(
                reference=reference,
                prison=prison,
                period_start=period_start,
                period_end=period_end,
                currency=settings.BRIDGEWORK_CURRENCY,
                created_by=user,
            )
    except IntegrityError as refused:  # the exclusion constraint, when two create at once
        raise ValidationError(
            _("Another pay run of %(prison)s covers part of this period.") % {"prison": prison}
        ) from refused
    log(run, "wagtail.create", user=user)
    return run


@collector_paused()  # bulk work: core.garbage says why
@transaction.atomic
def calculate_pay_run(run: PayRun, *, user, progress=None) -> PayRun:
    """Lock the records the run pays, compute its lines and keep their hash. Recalculating
    replaces the lines; it is refused once the run is approved. ``progress(done, total)`` is
    told the workers calculated (``calculate_lines``)."""
    require_permission(user, CALCULATE)
    run = locked_run(run)
    if run.status not in (PayRun.Status.DRAFT, PayRun.Status.CALCULATED):
        raise ValidationError(
            _("Pay run %(reference)s is %(status)s: only a draft or calculated run is calculated.")
            % {"reference": run.reference, "status": run.get_status_display()}
        )
    policy = policy_on(run.period_end)
    if policy is None:
        raise ValidationError(
            _("No pay policy is in effect on %(day)s: add one first.")
            % {"day": format_day(run.period_end)}
        )
    lock_production(
        records_to_pay(run), run.reference, user=user, attendance=attendance_to_pay(run)
    )
    PayRunLine.objects.filter(run=run).delete()
    run.workers, run.gross, run.deductions, run.back_wages, run.warnings = 0, 0, 0, 0, 0
    run.sales_share = run.back_wages_paid = 0
    records = locked_records(run)
    lines = calculate_lines(run, policy, records, progress)
    while batch := list(itertools.islice(lines, LINE_BATCH)):
        _insert_lines(batch)
        run.workers += len(batch)
        run.gross += sum(line.gross for line in batch)
        run.deductions += sum(line.gross - line.own_spending for line in batch)
        run.back_wages += sum(line.back_wages for line in batch)
        run.warnings += sum(len(line.warnings) for line in batch)
    run.sales_share, run.back_wages_paid, added = add_shares_and_payouts(run, policy, records)
    run.workers += added
    run.status = PayRun.Status.CALCULATED
    run.policy = policy
    run.calculated_by, run.calculated_at = user, timezone.now()
    run.result_hash = lines_hash(run)
    run.save()
    log(
        run,
        "bridgework.pay_run_calculated",
        user=user,
        data={
            "workers": run.workers,
            "gross": money_text(run.gross, run.currency),
            "hash": run.result_hash,
        },
    )
    return run


def _insert_lines(lines: list[PayRunLine]) -> None:
    """Store computed lines; on PostgreSQL by COPY, without the ORM's work per value."""
    if connection.vendor != "postgresql":
        PayRunLine.objects.bulk_create(lines)
        return
    fields = [field for field in PayRunLine._meta.concrete_fields if not field.primary_key]
    fields.sort(key=lambda field: isinstance(field, JSONField))  # plain values first
    columns = ", ".join(field.column for field in fields)
    plain = attrgetter(*(f.attname for f in fields if not isinstance(f, JSONField)))
    encoded = attrgetter(*(f.attname for f in fields if isinstance(f, JSONField)))
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY wages_payrunline ({columns}) FROM STDIN") as rows,
    ):
        for line in lines:
            rows.write_row([*plain(line), *map(json.dumps, encoded(line))])


@transaction.atomic
def approve_pay_run(run: PayRun, *, user) -> PayRun:
    """Approve a calculated run: only by an officer other than the one who calculated it."""
    require_permission(user, APPROVE)
    run = locked_run(run)
    if run.status != PayRun.Status.CALCULATED:
        raise ValidationError(
            _("Pay run %(reference)s is %(status)s: only a calculated run is approved.")
            % {"reference": run.reference, "status": run.get_status_display()}
        )
    if run.calculated_by_id == user.pk:
        raise PermissionDenied(
            _("You calculated this pay run: another finance officer must approve it.")
        )
    digest = run.result_hash
    if not lines_match(run, digest):
        raise ValidationError(
            _("The lines of pay run %(reference)s changed after it was calculated: recalculate it.")
            % {"reference": run.reference}
        )
    run.status = PayRun.Status.APPROVED
    run.approved_by, run.approved_at, run.approved_hash = user, timezone.now(), digest
    run.save(update_fields=["status", "approved_by", "approved_at", "approved_hash"])
    log(run, "bridgework.pay_run_approved", user=user, data={"hash": digest})
    return run


@transaction.atomic
def cancel_pay_run(run: PayRun, *, user, reason: str) -> PayRun:
    """Cancel a run that is not posted, freeing the records it locked."""
    require_permission(user, CANCEL)
    run = locked_run(run)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the pay run is cancelled."))
    if not run.is_open:
        raise ValidationError(
            _("Pay run %(reference)s is %(status)s: it cannot be cancelled.")
            % {"reference": run.reference, "status": run.get_status_display()}
        )
    freed = 0
    if run.status != PayRun.Status.DRAFT:
        freed = unlock_production(run.reference, user=user)
    run.status = PayRun.Status.CANCELLED
    run.cancelled_by, run.cancelled_at, run.cancel_reason = user, timezone.now(), reason
    run.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason"])
    log(run, "bridgework.pay_run_cancelled", user=user, data={"reason": reason, "freed": freed})
    return run
