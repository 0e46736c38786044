"""Pay runs: create, calculate, approve, post and cancel (issue 9; DESIGN.md, "Ledger").

    create_pay_run(*, prison, period_start, period_end, user) -> PayRun
    calculate_pay_run(run, *, user, progress=None) -> PayRun   draft or calculated → calculated
    approve_pay_run(run, *, user) -> PayRun       calculated → approved, by another officer
    post_pay_run(run, *, user, progress=None) -> PayRun   approved → posted (once, however many try)
    cancel_pay_run(run, *, user, reason) -> PayRun   any state before posted → cancelled

``progress(done, total)``, when given, is told how far the long steps have got (workers
calculated, journals posted), a batch at a time: the background jobs show it (``wages.tasks``).

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

Posting first makes the run's lock final (``workshops.production.finalise_production_lock``):
its records are never freed to be paid again, and an adjustment of one of them waits for the
posting's commit on the lock's row, so it is either seen by the check above (posting refuses) or
left for the next run to pay, never settled unpaid. ``wages.payrun_verification`` checks that
every posted run still holds what it paid.
"""

import datetime
import itertools
import json
from decimal import Decimal
from operator import attrgetter

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import JSONField
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.garbage import collector_paused
from wages.accounts import (
    AccountSpec,
    back_wages_account,
    back_wages_payer_account,
    category_account,
    ensure_accounts,
    own_spending_account,
    payer_account,
)
from wages.ledger import Posting, close_chain, open_chain, post_journals
from wages.models import Chain, PayRun, PayRunLine
from wages.pay import policy_on
from wages.payrun_calculation import (
    attendance_to_pay,
    calculate_lines,
    lines_hash,
    lines_match,
    locked_records,
    money_text,
    records_to_pay,
)
from workshops.models import DeductionCategory, Partner, Prison, ProductionAdjustment
from workshops.production import (
    finalise_production_lock,
    lock_production,
    settle_adjustments,
    unlock_production,
)

CALCULATE = "wages.add_payrun"
APPROVE = "wages.approve_payrun"
POST = "wages.post_payrun"
CANCEL = "wages.change_payrun"
LINE_BATCH = 2_000


def _require(user, permission: str) -> None:
    if user is None or not user.has_perm(permission):
        raise PermissionDenied(_("You may not do this to pay runs."))


def _locked(run: PayRun) -> PayRun:
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
    _require(user, CALCULATE)
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
                "start": overlapping.period_start,
                "end": overlapping.period_end,
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
    _require(user, CALCULATE)
    run = _locked(run)
    if run.status not in (PayRun.Status.DRAFT, PayRun.Status.CALCULATED):
        raise ValidationError(
            _("Pay run %(reference)s is %(status)s: only a draft or calculated run is calculated.")
            % {"reference": run.reference, "status": run.get_status_display()}
        )
    policy = policy_on(run.period_end)
    if policy is None:
        raise ValidationError(
            _("No pay policy is in effect on %(day)s: add one first.") % {"day": run.period_end}
        )
    lock_production(
        records_to_pay(run), run.reference, user=user, attendance=attendance_to_pay(run)
    )
    PayRunLine.objects.filter(run=run).delete()
    run.workers, run.gross, run.deductions, run.back_wages, run.warnings = 0, 0, 0, 0, 0
    lines = calculate_lines(run, policy, locked_records(run), progress)
    while batch := list(itertools.islice(lines, LINE_BATCH)):
        _insert_lines(batch)
        run.workers += len(batch)
        run.gross += sum(line.gross for line in batch)
        run.deductions += sum(line.gross - line.own_spending for line in batch)
        run.back_wages += sum(line.back_wages for line in batch)
        run.warnings += sum(len(line.warnings) for line in batch)
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
    _require(user, APPROVE)
    run = _locked(run)
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


@collector_paused()
@transaction.atomic
def post_pay_run(run: PayRun, *, user, progress=None) -> PayRun:
    """Post an approved run's journals. A run already posted is returned as it is, so two
    officers posting at once make one posting. ``progress(done, total)`` is told the journals
    posted, of one per line with money (``_journals_to_post``), after each batch."""
    _require(user, POST)
    run = _locked(run)
    if run.status == PayRun.Status.POSTED:
        return run
    if run.status != PayRun.Status.APPROVED:
        raise ValidationError(
            _("Pay run %(reference)s is %(status)s: only an approved run is posted.")
            % {"reference": run.reference, "status": run.get_status_display()}
        )
    if not lines_match(run, run.approved_hash):
        raise ValidationError(
            _(
                "Pay run %(reference)s no longer matches what was approved: cancel it and "
                "calculate a new run."
            )
            % {"reference": run.reference}
        )
    # The lock's row first: an adjustment of one of the run's records made from here on waits
    # for this commit and is then the next run's to pay (``adjust_production``).
    lock = finalise_production_lock(run.reference, user=user)
    adjusted = (
        ProductionAdjustment.objects.filter(
            record__locked__lock=lock, made_at__gt=run.calculated_at
        )
        .values("record")
        .distinct()
        .count()
    )
    if adjusted:
        raise ValidationError(
            _(
                "%(count)s of the records pay run %(reference)s pays were adjusted after it was "
                "calculated: cancel it and calculate a new run."
            )
            % {"count": adjusted, "reference": run.reference}
        )
    settles = _settled(run, lock)
    paid = [adjustment for adjustment in settles if adjustment.settled_by]
    if paid:
        raise ValidationError(
            _(
                "Pay run %(other)s has already paid an adjustment pay run %(reference)s pays: "
                "cancel it and calculate a new run."
            )
            % {"other": paid[0].settled_by, "reference": run.reference}
        )
    chain = _new_chain(run)
    if progress is not None:
        total = _journals_to_post(run)
        progress(0, total)
    journals = post_journals(
        _postings(run),
        chain=chain,
        user=user,
        progress=(lambda done: progress(done, total)) if progress else None,
    )
    close_chain(chain)
    chain.refresh_from_db()
    settled = settle_adjustments(settles, run.reference)
    run.status, run.chain = PayRun.Status.POSTED, chain
    run.posted_by, run.posted_at = user, timezone.now()
    run.save(update_fields=["status", "chain", "posted_by", "posted_at"])
    log(
        run,
        "bridgework.pay_run_posted",
        user=user,
        data={"journals": journals, "adjustments_settled": settled, "chain": chain.name},
    )
    return run


def _new_chain(run: PayRun):
    """The run's own chain, made now: a chain of that name made earlier holds journals that pay
    no line of the run (or is closed), so posting into it is refused."""
    name = f"payrun:{run.reference}"
    if Chain.objects.filter(name=name).exists():
        raise ValidationError(
            _(
                "The ledger already has a chain named %(chain)s, which pay run %(reference)s "
                "would post into: ask an administrator to find out who made it."
            )
            % {"chain": name, "reference": run.reference}
        )
    return open_chain(name)


@transaction.atomic
def cancel_pay_run(run: PayRun, *, user, reason: str) -> PayRun:
    """Cancel a run that is not posted, freeing the records it locked."""
    _require(user, CANCEL)
    run = _locked(run)
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


def _settled(run: PayRun, lock) -> list:
    """The adjustments the run pays or recovers (its lines' ``settles``, read when it was
    calculated), and those of its own records made before it was calculated: their new values
    are what it paid. An adjustment made after the calculation is never among them: posting
    refuses while the run holds one, and holds the lock's row against new ones (``post_pay_run``),
    so it stays for the next run to pay."""
    ids = set()
    for settles in PayRunLine.objects.filter(run=run).values_list("settles", flat=True):
        ids.update(settles)
    own = ProductionAdjustment.objects.filter(
        record__locked__lock=lock, settled_by="", made_at__lte=run.calculated_at
    )
    return list(ProductionAdjustment.objects.select_for_update().filter(pk__in=ids)) + list(own)


def _journals_to_post(run: PayRun) -> int:
    """How many journals ``_postings`` makes, by one count: a line pays someone (``payers`` holds
    only amounts that are not zero) or owes back wages, or it has no journal (``_entries``)."""
    return PayRunLine.objects.filter(run=run).exclude(payers={}, back_wages_by_payer={}).count()


def _postings(run: PayRun):
    """One ``Posting`` per line with money, made a batch of lines at a time."""
    names = account_names()
    categories = {category.code: category for category in DeductionCategory.objects.all()}
    memo = _("Pay run %(reference)s, %(start)s to %(end)s") % {
        "reference": run.reference,
        "start": run.period_start,
        "end": run.period_end,
    }
    _ensure_shared_accounts(run, names)
    lines = (
        PayRunLine.objects.filter(run=run)
        .select_related("worker")
        .only("worker__reference", "payers", "deductions", "own_spending", "back_wages_by_payer")
        .order_by("worker__reference")
        .iterator(chunk_size=LINE_BATCH)
    )
    shared = {}  # the accounts that are not one worker's, by what they are for
    while batch := list(itertools.islice(lines, LINE_BATCH)):
        journals = [(line, _entries(run, line, names, shared, categories)) for line in batch]
        specs = {spec.key: spec for _line, entries in journals for spec, _amount in entries}
        accounts = ensure_accounts(specs.values(), run.currency)
        for line, entries in journals:
            if not entries:
                continue
            yield Posting(
                key=f"payrun:{run.reference}:{line.worker.reference}",
                on=run.period_end,
                memo=f"{memo} · {line.worker.reference}",
                lines=[(accounts[spec.key], amount) for spec, amount in entries],
            )


def account_names() -> dict:
    """What accounts are called: partners by payer (``partner:<id>``), categories by code."""
    names = {f"partner:{pk}": name for pk, name in Partner.objects.values_list("pk", "name")}
    return names | dict(DeductionCategory.objects.values_list("code", "name"))


def _ensure_shared_accounts(run: PayRun, names) -> None:
    """The accounts every run may share (payers, deductions held for others), made first and in
    one order, so runs posted at once never wait on each other's new accounts in a cycle."""
    shared = {}
    rows = (
        PayRunLine.objects.filter(run=run)
        .values_list("payers", "back_wages_by_payer")
        .iterator(chunk_size=LINE_BATCH)
    )
    for payers, owed in rows:
        for payer in payers:
            if f"pay:{payer}" not in shared:  # named once per payer, not once per line
                shared[f"pay:{payer}"] = payer_account(payer, names)
        for payer in owed:
            if f"owed:{payer}" not in shared:
                shared[f"owed:{payer}"] = back_wages_payer_account(payer, names)
    specs = list(shared.values())
    if run.policy is not None:
        held = DeductionCategory.objects.filter(
            pk__in=run.policy.allocations.values("category"), credited_to_worker=False
        )
        for category in held:
            specs.append(category_account(category, worker_id=None, reference="", names=names))
    ensure_accounts(specs, run.currency)


def _shared(shared: dict, make, what, names) -> AccountSpec:
    """``make(what)``'s account, made once per run (its name is translated once). ``what``: a
    payer, or a deduction category held for others."""
    key = (make, getattr(what, "code", what))
    if key not in shared:
        if make is category_account:
            shared[key] = category_account(what, worker_id=None, reference="", names=names)
        else:
            shared[key] = make(what, names)
    return shared[key]


def _entries(run, line: PayRunLine, names, shared: dict, categories: dict) -> list:
    """The journal of one line: (account, amount) pairs, debits positive. ``shared`` keeps the
    accounts that are not the worker's own from one line to the next (``_shared``);
    ``categories`` are the deduction categories by code, whose flag says whose account each
    deduction is credited to (never the code itself, which staff may edit)."""
    worker = {"worker_id": line.worker_id, "reference": line.worker.reference}
    entries = []
    for payer, amount in line.payers.items():
        entries.append((_shared(shared, payer_account, payer, names), Decimal(amount)))
    for code, amount in line.deductions.items():
        category = categories.get(code)
        if category is None:
            raise ValidationError(
                _(
                    "Pay run %(reference)s deducts for category %(code)s, which no longer "
                    "exists under that code: cancel the run and calculate a new one."
                )
                % {"reference": run.reference, "code": code}
            )
        if category.credited_to_worker:
            spec = category_account(category, **worker, names=names)
        else:
            spec = _shared(shared, category_account, category, names)
        entries.append((spec, -Decimal(amount)))
    entries.append((own_spending_account(**worker, names=names), -line.own_spending))
    for payer, amount in line.back_wages_by_payer.items():
        entries.append((_shared(shared, back_wages_payer_account, payer, names), Decimal(amount)))
        entries.append((back_wages_account(**worker), -Decimal(amount)))
    return [(spec, amount) for spec, amount in entries if amount]
