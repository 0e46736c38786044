"""Workers' purchases from the prison's shop, debited from their own spending (Mandela Rule
103.2: part of what a worker earns may buy approved articles for their own use).

    record_purchase(*, worker, amount, on, description, key, user, source="") -> Purchase
    record_purchases(purchases, *, user, source="") -> list[Purchase]   all or none

Each purchase posts Dr the worker's own-spending account / Cr ``canteen`` (the prison shops'
takings, ``wages.ledger.accounts``) into today's wages chain, idempotent on ``key`` (the shop
system's receipt id): a key recorded before with the same worker, amount and day returns that
purchase; with others it is refused. A purchase never takes the account below zero: the
own-spending rows are locked (``select_for_update``, in primary-key order) before the balance is
read, so two purchases at once are checked one after the other and the second sees what the first
took. A refused purchase, or a refused batch, posts nothing.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.money import fixed_text, minor_unit
from wages.ledger.accounts import CANTEEN, AccountSpec, ensure_accounts
from wages.ledger.days import todays_chain
from wages.ledger.posting import post_journal
from wages.models import Account, Purchase
from wages.models.pay import OWN_SPENDING

RECORD = "wages.add_purchase"
VIEW = "wages.view_purchase"


@dataclass(frozen=True)
class PurchaseRequest:
    """One purchase asked for: what ``record_purchase`` takes, for a batch."""

    worker: object
    amount: Decimal
    on: datetime.date
    description: str
    key: str


def canteen_account(currency: str) -> AccountSpec:
    return AccountSpec(CANTEEN, _("Prison shops' takings"), Account.Kind.INCOME)


def purchase_problems(request: PurchaseRequest, currency: str) -> list[str]:
    """What is wrong with one purchase on its own (not its balance)."""
    problems = []
    if not request.amount.is_finite() or request.amount <= 0:
        problems.append(_("A purchase is of more than zero."))
    elif request.amount != request.amount.quantize(minor_unit(currency)):
        problems.append(
            _("%(amount)s has more decimals than %(currency)s has.")
            % {"amount": request.amount, "currency": currency}
        )
    if request.on > timezone.localdate():
        problems.append(
            _("%(day)s is still to come: a purchase is recorded once it is made.")
            % {"day": request.on.isoformat()}
        )
    if not request.description.strip():
        problems.append(_("Say what was bought."))
    if not request.key.strip():
        problems.append(_("The purchase has no reference."))
    return problems


def _earlier(requests: list[PurchaseRequest], currency: str) -> dict[str, Purchase | None]:
    """Each request's purchase recorded before under its key (None when the key is new), a
    thousand keys a query; refused when one was recorded with other values."""
    keys = [request.key for request in requests]
    found: dict[str, Purchase] = {}
    for start in range(0, len(keys), 1000):
        found |= {p.key: p for p in Purchase.objects.filter(key__in=keys[start : start + 1000])}
    return {request.key: _same(found.get(request.key), request, currency) for request in requests}


def _same(earlier: Purchase | None, request: PurchaseRequest, currency: str) -> Purchase | None:
    if earlier is None:
        return None
    same = (earlier.worker_id, earlier.amount, earlier.currency, earlier.bought_on) == (
        request.worker.pk,
        request.amount,
        currency,
        request.on,
    )
    if not same:
        raise ValidationError(
            _(
                "Reference %(key)s was recorded before for another worker, amount or day: give "
                "this purchase its own reference."
            )
            % {"key": request.key}
        )
    return earlier


def over_balance_message(*, amount: Decimal, balance: Decimal, worker, currency: str) -> str:
    return _(
        "The purchase of %(amount)s %(currency)s is more than the %(balance)s %(currency)s own "
        "spending balance of %(worker)s: record a smaller purchase, or wait for the next pay run."
    ) % {
        "amount": fixed_text(amount, currency),
        "balance": fixed_text(balance, currency),
        "currency": currency,
        "worker": worker.reference,
    }


def locked_balances(worker_ids, currency: str) -> dict[int, tuple[Account | None, Decimal]]:
    """Each worker's own-spending account, its row locked (primary-key order), and what it holds
    for the worker (a liability's credit, shown positive); (None, 0) where there is none yet."""
    rows = {
        account.worker_id: account
        for account in Account.objects.select_for_update()
        .filter(worker_id__in=worker_ids, purpose=OWN_SPENDING, currency=currency)
        .order_by("pk")
    }
    return {
        pk: (rows.get(pk), -rows[pk].balance if pk in rows else Decimal(0)) for pk in worker_ids
    }


@transaction.atomic
def record_purchases(
    requests: list[PurchaseRequest],
    *,
    user,
    source: str = "",
    currency: str | None = None,
    check_permission: bool = True,
) -> list[Purchase]:
    """All of ``requests`` or none: refused in words when any is wrong, or when a worker's
    purchases together exceed their balance. ``check_permission`` False only for a caller that
    checked it (the importer; ``user`` None from the command line)."""
    if check_permission and (user is None or not user.has_perm(RECORD)):
        raise PermissionDenied(_("You may not record purchases."))
    currency = currency or settings.BRIDGEWORK_CURRENCY
    problems = [
        _("%(key)s: %(problem)s") % {"key": request.key, "problem": problem}
        for request in requests
        for problem in purchase_problems(request, currency)
    ]
    counts = Counter(request.key for request in requests)
    problems += [
        _("Reference %(key)s is given twice.") % {"key": key}
        for key, count in sorted(counts.items())
        if count > 1
    ]
    if problems:
        raise ValidationError(problems)
    done = _earlier(requests, currency)
    new = [request for request in requests if done[request.key] is None]
    balances = locked_balances(sorted({request.worker.pk for request in new}), currency)
    # Recorded meanwhile by another caller, who held the lock first.
    done |= _earlier(new, currency)
    new = [request for request in new if done[request.key] is None]
    wanted: dict[int, Decimal] = defaultdict(Decimal)
    for request in new:
        wanted[request.worker.pk] += request.amount
    refused = [
        over_balance_message(
            amount=wanted[request.worker.pk],
            balance=balances[request.worker.pk][1],
            worker=request.worker,
            currency=currency,
        )
        for request in {r.worker.pk: r for r in new}.values()
        if wanted[request.worker.pk] > balances[request.worker.pk][1]
    ]
    if refused:
        raise ValidationError(refused)
    canteen = None
    if new:
        canteen = Account.objects.get(
            pk=ensure_accounts([canteen_account(currency)], currency)[CANTEEN].pk
        )
    chain = todays_chain("wages") if new else None
    for request in new:
        own = balances[request.worker.pk][0]
        journal = post_journal(
            key=f"purchase:{request.key}",
            on=request.on,
            lines=[(own, request.amount), (canteen, -request.amount)],
            memo=(
                _("Purchase %(key)s: %(description)s")
                % {"key": request.key, "description": request.description}
            )[:300],
            chain=chain,
            user=user,
        )
        purchase = Purchase.objects.create(
            key=request.key,
            worker=request.worker,
            amount=request.amount,
            currency=currency,
            bought_on=request.on,
            description=request.description[:200],
            source=source[:200],
            journal=journal,
            recorded_by=user,
        )
        log(purchase, "wagtail.create", user=user)
        done[request.key] = purchase
    return [done[request.key] for request in requests]


def record_purchase(
    *,
    worker,
    amount: Decimal,
    on: datetime.date,
    description: str,
    key: str,
    user,
    source: str = "",
    currency: str | None = None,
) -> Purchase:
    """One purchase (``record_purchases`` of one)."""
    [purchase] = record_purchases(
        [PurchaseRequest(worker, Decimal(amount), on, description, key)],
        user=user,
        source=source,
        currency=currency,
    )
    return purchase
