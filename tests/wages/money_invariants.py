"""What must hold of the money after any sequence of operations, each check computed from the stored rows alone and returning the problems it
finds in words, so a counter-example says what broke:

- ``unbalanced_accounts``: every account's balance is the sum of its entries;
- ``payment_problems``: every production record and training session is paid exactly once or not
  yet; a posted run goes on holding what it paid;
- ``run_journal_problems``: every posted run's journals are its lines;
- ``deferred_checks``: on PostgreSQL, the checks deferred to the commit pass now (a test never
  commits, so they would otherwise never run).

``fingerprint`` is every row a money operation may write, to show that a refused one wrote none.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import connection

from tests.wages.payrun_builders import everything
from wages.models import Account, Entry, PayRun, PayRunLine, PeriodClose
from workshops.models import (
    LockedRecord,
    ProductionAdjustment,
    ProductionRecord,
    TrainingAttendance,
    Worker,
)

ZERO = Decimal(0)
POSTED = PayRun.Status.POSTED


def fingerprint() -> dict:
    """``everything`` a pay-run operation writes, and what the other operations write too."""
    return {
        **everything(),
        "records": list(
            ProductionRecord.objects.order_by("pk").values_list(
                "pk", "worker", "day", "hours", "pieces", "rejects", "supervisor_note", "locked"
            )
        ),
        "locked": list(LockedRecord.objects.order_by("record").values_list("record", "lock")),
        "attendance": list(
            TrainingAttendance.objects.order_by("pk").values_list("pk", "day", "hours", "lock")
        ),
        "adjustments": list(
            ProductionAdjustment.objects.order_by("pk").values_list(
                "pk", "record", "new_hours", "new_pieces", "settled_by"
            )
        ),
        "closes": list(PeriodClose.objects.order_by("pk").values_list("up_to")),
        "workers": list(Worker.objects.order_by("pk").values_list("pk", "reference")),
    }


def changes(before: dict, after: dict) -> list[str]:
    """The parts of two fingerprints that differ."""
    return [name for name in before if before[name] != after.get(name)]


def deferred_checks() -> None:
    """Run now the constraint triggers PostgreSQL defers to the commit (a journal balances, has
    two entries), then defer them again: an error here is what a commit would have raised."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT quote_ident(conname) FROM pg_constraint "
            "WHERE condeferrable AND condeferred"
        )
        deferred = [name for (name,) in cursor.fetchall()]
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        if deferred:
            cursor.execute(f"SET CONSTRAINTS {', '.join(deferred)} DEFERRED")


def unbalanced_accounts() -> list[str]:
    """Accounts whose stored balance is not the sum of their entries (summed here, exactly)."""
    sums: dict[int, Decimal] = defaultdict(Decimal)
    for account, amount in Entry.objects.values_list("account", "amount").iterator():
        sums[account] += amount
    return [
        f"account {code}: balance {balance}, its entries sum to {sums[pk]}"
        for pk, code, balance in Account.objects.order_by("pk").values_list("pk", "code", "balance")
        if balance != sums[pk]
    ]


def _held() -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """Pay-run reference → the records, and the training attendance, its (unreleased) lock holds."""
    records: dict[str, set[int]] = defaultdict(set)
    for record, reference in LockedRecord.objects.filter(
        lock__released_at__isnull=True
    ).values_list("record", "lock__reference"):
        records[reference].add(record)
    attendance: dict[str, set[int]] = defaultdict(set)
    for pk, reference in TrainingAttendance.objects.filter(
        lock__released_at__isnull=True
    ).values_list("pk", "lock__reference"):
        attendance[reference].add(pk)
    return records, attendance


def payment_problems(paid: dict[str, tuple[frozenset, frozenset]]) -> list[str]:
    """Every record and session paid exactly once or not yet.

    ``paid``: each posted run's reference → the records and the attendance its lock held when it
    was posted (what its lines paid). Each posted run must still hold exactly those, and no two
    posted runs hold one record. Then, per worker, from the stored rows alone:

        hours of the posted runs' lines
        + the differences of adjustments settled by a posted run other than the one that holds
          the adjusted record (paid as adjustments)
        = hours of the records the posted runs hold
        - the differences of their adjustments no run has settled yet (not paid yet)

    and the same for accepted pieces; the posted lines' training hours are the hours of the
    sessions the posted runs hold. An adjustment a run settles of a record it holds itself was
    made before its calculation: its line read the new value."""
    problems = []
    posted = set(PayRun.objects.filter(status=POSTED).values_list("reference", flat=True))
    records, attendance = _held()
    for reference in sorted(posted):
        was_records, was_attendance = paid.get(reference, (frozenset(), frozenset()))
        if records.get(reference, set()) != was_records:
            problems.append(
                f"posted run {reference} paid records {sorted(was_records)} "
                f"but holds {sorted(records.get(reference, ()))}"
            )
        if attendance.get(reference, set()) != was_attendance:
            problems.append(
                f"posted run {reference} paid attendance {sorted(was_attendance)} "
                f"but holds {sorted(attendance.get(reference, ()))}"
            )
    seen: dict[int, str] = {}
    for reference in sorted(paid):
        for record in paid[reference][0]:
            if record in seen:
                problems.append(f"record {record} paid by {seen[record]} and by {reference}")
            seen[record] = reference
    holder = {record: ref for ref in posted for record in records.get(ref, ())}
    problems += _settlement_problems(posted, holder)

    paid_hours: dict[int, Decimal] = defaultdict(Decimal)
    paid_pieces: dict[int, int] = defaultdict(int)
    paid_training: dict[int, Decimal] = defaultdict(Decimal)
    for worker, hours, pieces, training in PayRunLine.objects.filter(
        run__status=POSTED
    ).values_list("worker", "hours", "pieces", "training_hours"):
        paid_hours[worker] += hours
        paid_pieces[worker] += pieces
        paid_training[worker] += training
    pending: dict[int, tuple[Decimal, int]] = defaultdict(lambda: (ZERO, 0))
    for (
        record,
        worker,
        old_h,
        new_h,
        old_p,
        new_p,
        settled_by,
    ) in ProductionAdjustment.objects.order_by("pk").values_list(
        "record",
        "record__worker",
        "old_hours",
        "new_hours",
        "old_pieces",
        "new_pieces",
        "settled_by",
    ):
        if not settled_by:
            hours, pieces = pending[record]
            pending[record] = (hours + new_h - old_h, pieces + new_p - old_p)
        elif settled_by not in posted:
            problems.append(
                f"an adjustment of record {record} is settled by {settled_by}, not posted"
            )
        elif holder.get(record) != settled_by:
            paid_hours[worker] += new_h - old_h
            paid_pieces[worker] += new_p - old_p

    due_hours: dict[int, Decimal] = defaultdict(Decimal)
    due_pieces: dict[int, int] = defaultdict(int)
    for pk, worker, hours, pieces in ProductionRecord.objects.filter(
        pk__in=list(holder)
    ).values_list("pk", "worker", "hours", "pieces"):
        due_hours[worker] += hours - pending[pk][0]
        due_pieces[worker] += pieces - pending[pk][1]
    due_training: dict[int, Decimal] = defaultdict(Decimal)
    for worker, hours in TrainingAttendance.objects.filter(
        lock__released_at__isnull=True, lock__reference__in=posted
    ).values_list("enrolment__worker", "hours"):
        due_training[worker] += hours

    for worker in sorted(set(paid_hours) | set(due_hours) | set(paid_pieces) | set(due_pieces)):
        if (paid_hours[worker], paid_pieces[worker]) != (due_hours[worker], due_pieces[worker]):
            problems.append(
                f"worker {worker}: posted runs paid {paid_hours[worker]} h and "
                f"{paid_pieces[worker]} pieces for records that hold {due_hours[worker]} h and "
                f"{due_pieces[worker]} pieces"
            )
    for worker in sorted(set(paid_training) | set(due_training)):
        if paid_training[worker] != due_training[worker]:
            problems.append(
                f"worker {worker}: posted runs paid {paid_training[worker]} training hours for "
                f"sessions of {due_training[worker]} h"
            )
    return problems


def _settlement_problems(posted: set[str], holder: dict[int, str]) -> list[str]:
    """An adjustment is settled by a posted run that paid it: the run's line for the worker lists
    it, or the run holds the record and was calculated after the adjustment (its line read the
    new value). Every adjustment a posted line lists is settled by that run."""
    problems = []
    listed: dict[int, str] = {}
    calculated = dict(
        PayRun.objects.filter(reference__in=posted).values_list("reference", "calculated_at")
    )
    for reference, settles in PayRunLine.objects.filter(run__status=POSTED).values_list(
        "run__reference", "settles"
    ):
        for adjustment in settles:
            listed[adjustment] = reference
    for pk, record, made_at, settled_by in ProductionAdjustment.objects.order_by("pk").values_list(
        "pk", "record", "made_at", "settled_by"
    ):
        if pk in listed and listed[pk] != settled_by:
            problems.append(
                f"adjustment {pk} is paid by {listed[pk]} but settled by {settled_by or 'no run'}"
            )
        elif settled_by in posted and pk not in listed:
            if holder.get(record) != settled_by:
                problems.append(f"adjustment {pk} is settled by {settled_by}, which did not pay it")
            elif made_at > calculated[settled_by]:
                problems.append(
                    f"adjustment {pk} of a record {settled_by} holds was made after the run was "
                    "calculated, and settled by it"
                )
    return problems


def _amounts(mapping: dict) -> dict[str, Decimal]:
    """A line's amounts by payer or category, kept as text (or as JSON numbers)."""
    amounts = {key: Decimal(str(value)) for key, value in mapping.items()}
    return {key: value for key, value in amounts.items() if value}


def _expected_journal(line: PayRunLine) -> dict[str, Decimal]:
    """What the journal paying ``line`` holds, debits positive, by what each amount is for: the
    administration's expense (``expense``), a partner's receivable (``partner:<id>:labour``),
    and the worker's or everyone's liabilities by the purpose their code ends with (own spending,
    each category, back wages)."""
    held: dict[str, Decimal] = defaultdict(Decimal)
    for payer, amount in (
        *_amounts(line.payers).items(),
        *_amounts(line.back_wages_by_payer).items(),
    ):
        held["expense" if payer == "own" else f"{payer}:labour"] += amount
    held["own-spending"] -= line.own_spending
    held["back-wages"] -= line.back_wages
    for code, amount in _amounts(line.deductions).items():
        held[code] -= amount
    return {key: value for key, value in held.items() if value}


def run_journal_problems() -> list[str]:
    """Every posted run's chain is closed and holds one journal per line with money, and each
    journal is its line: the same debits and credits, credited to that worker's accounts."""
    problems = []
    for run in PayRun.objects.filter(status=POSTED).select_related("chain").order_by("pk"):
        if run.chain is None or run.chain.closed_at is None:
            problems.append(f"posted run {run.reference}: its chain is missing or open")
            continue
        lines = list(PayRunLine.objects.filter(run=run))
        totals = {
            "gross": sum((line.gross for line in lines), ZERO),
            "back_wages": sum((line.back_wages for line in lines), ZERO),
            "workers": len(lines),
        }
        if totals != {"gross": run.gross, "back_wages": run.back_wages, "workers": run.workers}:
            problems.append(f"posted run {run.reference}: its totals are not its lines' {totals}")
        journals: dict[int, dict] = defaultdict(
            lambda: {"held": defaultdict(Decimal), "workers": set()}
        )
        for journal, code, kind, worker, amount in Entry.objects.filter(
            journal__chain=run.chain
        ).values_list("journal", "account__code", "account__kind", "account__worker", "amount"):
            if kind == Account.Kind.EXPENSE:
                key = "expense"
            elif kind == Account.Kind.LIABILITY:
                key = code.rsplit(":", 1)[-1]
            else:
                key = code
            journals[journal]["held"][key] += amount
            if worker is not None:
                journals[journal]["workers"].add(worker)
        by_worker = {}
        for journal, held in journals.items():
            if len(held["workers"]) != 1:
                problems.append(
                    f"posted run {run.reference}: journal {journal} credits the accounts of "
                    f"workers {sorted(held['workers'])}"
                )
                continue
            (worker,) = held["workers"]
            if worker in by_worker:
                problems.append(f"posted run {run.reference}: two journals pay worker {worker}")
            by_worker[worker] = held
        for line in lines:
            if not (line.gross or line.back_wages):
                continue
            held = by_worker.pop(line.worker_id, None)
            if held is None:
                problems.append(
                    f"posted run {run.reference}: no journal credits worker {line.worker_id}'s "
                    f"accounts, whose line pays {line.gross} and {line.back_wages} back wages"
                )
                continue
            posted = {key: value for key, value in held["held"].items() if value}
            if posted != _expected_journal(line):
                problems.append(
                    f"posted run {run.reference}, worker {line.worker_id}: the journal holds "
                    f"{posted}, the line {_expected_journal(line)}"
                )
        for worker in by_worker:
            problems.append(f"posted run {run.reference}: a journal pays worker {worker}, no line")
    return problems
