"""Posting an approved pay run (``post_pay_run``): one journal per worker into the run's own
chain, to the accounts of ``wages.ledger.accounts``, through ``wages.ledger.bulk_posting``; the
lifecycle and the journals' shape are in ``wages.payruns.operations``."""

import itertools
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.log_actions import log

from core.garbage import collector_paused
from wages.ledger.accounts import (
    SALES_SHARE_EXPENSE,
    AccountSpec,
    back_wages_account,
    back_wages_payer_account,
    category_account,
    ensure_accounts,
    own_spending_account,
    payer_account,
)
from wages.ledger.bulk_posting import Posting, post_journals
from wages.ledger.chains import close_chain, open_chain
from wages.models import Account, Chain, PayRun, PayRunLine
from wages.payruns import operations
from wages.payruns.back_wages_payouts import hold_receipts
from wages.payruns.line_hashes import lines_match
from wages.payruns.operations import POST, locked_run, require_permission
from wages.payruns.sales_share import revenue_changed
from workshops.models import DeductionCategory, Partner, ProductionAdjustment
from workshops.production import (
    finalise_production_lock,
    settle_adjustments,
)

# Called with ``run`` and ``user`` once a run is posted (the brand recomputes its impact figures).
PAY_RUN_POSTED = "bridgework_pay_run_posted"


@collector_paused()
@transaction.atomic
def post_pay_run(run: PayRun, *, user, progress=None) -> PayRun:
    """Post an approved run's journals. A run already posted is returned as it is, so two
    officers posting at once make one posting. ``progress(done, total)`` is told the journals
    posted, of one per line with money (``_journals_to_post``), after each batch."""
    require_permission(user, POST)
    run = locked_run(run)
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
    _check_sales_and_receipts(run)
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
    for handler in hooks.get_hooks(PAY_RUN_POSTED):
        handler(run=run, user=user)
    return run


def _check_sales_and_receipts(run: PayRun) -> None:
    """Refuse a run whose workshops' sales changed since it was calculated, or whose back wages
    paid out were paid meanwhile by another run (``hold_receipts`` locks the receipts)."""
    changed = revenue_changed(run)
    if changed:
        raise ValidationError(
            _(
                "The net sales of %(workshops)s changed after pay run %(reference)s was "
                "calculated, so its makers' share is out of date: cancel it and calculate a new "
                "run."
            )
            % {"workshops": ", ".join(changed), "reference": run.reference}
        )
    hold_receipts(run)


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
    """How many journals ``_postings`` makes, by one query: a line pays someone (``payers`` holds
    only amounts that are not zero) or owes back wages, or it has no journal (``_entries``);
    a makers' share and back wages paid out have a journal each."""
    counts = PayRunLine.objects.filter(run=run).aggregate(
        wages=Count("pk", filter=~Q(payers={}, back_wages_by_payer={})),
        shares=Count("pk", filter=Q(sales_share__gt=0)),
        paid=Count("pk", filter=Q(back_wages_paid__gt=0)),
    )
    return sum(counts.values())


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
        .only(
            "worker__reference",
            "payers",
            "deductions",
            "own_spending",
            "back_wages_by_payer",
            "sales_share",
            "back_wages_paid",
        )
        .order_by("worker__reference")
        .iterator(chunk_size=operations.LINE_BATCH)
    )
    shared = {}  # the accounts that are not one worker's, by what they are for
    while batch := list(itertools.islice(lines, operations.LINE_BATCH)):
        journals = [(line, _entries(run, line, names, shared, categories)) for line in batch]
        specs = {spec.key: spec for _line, entries in journals for spec, _amount in entries}
        specs |= {
            spec.key: spec
            for line in batch
            for _suffix, entries in _paid_entries(line)
            for spec, _amount in entries
        }
        accounts = ensure_accounts(specs.values(), run.currency)
        for line, entries in journals:
            key = f"payrun:{run.reference}:{line.worker.reference}"
            if entries:
                yield Posting(
                    key=key,
                    on=run.period_end,
                    memo=f"{memo} · {line.worker.reference}",
                    lines=[(accounts[spec.key], amount) for spec, amount in entries],
                )
            yield from _paid_postings(run, line, key, memo, accounts)


def _paid_entries(line: PayRunLine) -> list:
    """The journals of a line's makers' share and back wages paid out, as (suffix, entries)."""
    worker = {"worker_id": line.worker_id, "reference": line.worker.reference}
    own = own_spending_account(**worker)
    journals = []
    if line.sales_share:
        expense = AccountSpec(
            SALES_SHARE_EXPENSE, _("Makers' share of sales"), Account.Kind.EXPENSE
        )
        journals.append(("sales-share", [(expense, line.sales_share), (own, -line.sales_share)]))
    if line.back_wages_paid:
        owed = back_wages_account(**worker)
        paid = line.back_wages_paid
        journals.append(("back-wages-paid", [(owed, paid), (own, -paid)]))
    return journals


def _paid_postings(run, line: PayRunLine, key: str, memo: str, accounts: dict):
    labels = {
        "sales-share": _("makers' share of sales"),
        "back-wages-paid": _("back wages paid out"),
    }
    for suffix, entries in _paid_entries(line):
        yield Posting(
            key=f"{key}:{suffix}",
            on=run.period_end,
            memo=f"{memo} · {line.worker.reference} · {labels[suffix]}",
            lines=[(accounts[spec.key], amount) for spec, amount in entries],
        )


def payer_names() -> dict:
    """What partners are called, by payer (``partner:<id>``): in account names and on screens."""
    return {f"partner:{pk}": name for pk, name in Partner.objects.values_list("pk", "name")}


def account_names() -> dict:
    """What accounts are called: partners by payer (``partner:<id>``), categories by code."""
    return payer_names() | dict(DeductionCategory.objects.values_list("code", "name"))


def _ensure_shared_accounts(run: PayRun, names) -> None:
    """The accounts every run may share (payers, deductions held for others), made first and in
    one order, so runs posted at once never wait on each other's new accounts in a cycle."""
    shared = {}
    rows = (
        PayRunLine.objects.filter(run=run)
        .values_list("payers", "back_wages_by_payer")
        .iterator(chunk_size=operations.LINE_BATCH)
    )
    for payers, owed in rows:
        for payer in payers:
            if f"pay:{payer}" not in shared:  # named once per payer, not once per line
                shared[f"pay:{payer}"] = payer_account(payer, names)
        for payer in owed:
            if f"owed:{payer}" not in shared:
                shared[f"owed:{payer}"] = back_wages_payer_account(payer, names)
    specs = list(shared.values())
    if PayRunLine.objects.filter(run=run, sales_share__gt=0).exists():
        specs.append(
            AccountSpec(SALES_SHARE_EXPENSE, _("Makers' share of sales"), Account.Kind.EXPENSE)
        )
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
