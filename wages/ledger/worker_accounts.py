"""A worker's sub-accounts (DESIGN.md, "Ledger"), found by what they are for.

    OWN_SPENDING, FAMILY, RELEASE_SAVINGS, BACK_WAGES     the four kinds, in the order shown
    purposes() -> {kind: Account.purpose or None}
        own spending and back wages have fixed purposes; family and release savings are the
        deduction categories whose ``use`` says so (never their code), None where none does
    sub_account_spec(kind, *, worker) -> AccountSpec      for posting, made where missing
    sub_accounts(worker, currency=None) -> {kind: Account or None}   read only, one query
    balances(worker, currency=None) -> {kind: Decimal}    what the worker is owed in each

Balances are read from the accounts (which posting keeps and ``verify_ledger`` recomputes from the
entries), never from a copy. A worker's accounts are liabilities: a credit (negative) balance is
money the administration holds for the worker, so ``balances`` shows it as a positive amount.
"""

from decimal import Decimal

from django.conf import settings

from wages.ledger.accounts import (
    BACK_WAGES,
    AccountSpec,
    back_wages_account,
    category_account,
    own_spending_account,
)
from wages.models import Account
from wages.models.pay import OWN_SPENDING as OWN_SPENDING_PURPOSE
from workshops.models import DeductionCategory

OWN_SPENDING = "own_spending"
FAMILY = "family"
RELEASE_SAVINGS = "release_savings"
BACK_WAGES_OWED = "back_wages"
KINDS = (OWN_SPENDING, FAMILY, RELEASE_SAVINGS, BACK_WAGES_OWED)

_USES = {
    FAMILY: DeductionCategory.Use.FAMILY,
    RELEASE_SAVINGS: DeductionCategory.Use.RELEASE_SAVINGS,
}


def category_for(kind: str) -> DeductionCategory | None:
    """The deduction category that is the family's or the release savings' (``kind``)."""
    return DeductionCategory.objects.filter(use=_USES[kind], credited_to_worker=True).first()


def purposes() -> dict[str, str | None]:
    found = dict(
        DeductionCategory.objects.filter(
            use__in=_USES.values(), credited_to_worker=True
        ).values_list("use", "pk")
    )
    return {
        OWN_SPENDING: OWN_SPENDING_PURPOSE,
        FAMILY: f"category:{found[_USES[FAMILY]]}" if _USES[FAMILY] in found else None,
        RELEASE_SAVINGS: (
            f"category:{found[_USES[RELEASE_SAVINGS]]}" if _USES[RELEASE_SAVINGS] in found else None
        ),
        BACK_WAGES_OWED: BACK_WAGES,
    }


def sub_account_spec(kind: str, *, worker) -> AccountSpec:
    """The spec of ``worker``'s account of ``kind``, for ``ensure_accounts`` and posting.
    ``LookupError`` when no deduction category is the family's or the release savings'."""
    ids = {"worker_id": worker.pk, "reference": worker.reference}
    if kind == OWN_SPENDING:
        return own_spending_account(**ids)
    if kind == BACK_WAGES_OWED:
        return back_wages_account(**ids)
    category = category_for(kind)
    if category is None:
        raise LookupError(f"no deduction category is used as {kind}")
    return category_account(category, **ids)


def sub_accounts(worker, currency: str | None = None) -> dict[str, Account | None]:
    currency = currency or settings.BRIDGEWORK_CURRENCY
    wanted = purposes()
    rows = {
        account.purpose: account
        for account in Account.objects.filter(
            worker=worker,
            currency=currency,
            purpose__in=[purpose for purpose in wanted.values() if purpose],
        )
    }
    return {kind: rows.get(purpose) if purpose else None for kind, purpose in wanted.items()}


def balances(worker, currency: str | None = None) -> dict[str, Decimal]:
    """What ``worker`` is owed in each sub-account (zero where there is none yet)."""
    return {
        kind: (-account.balance if account is not None else Decimal(0))
        for kind, account in sub_accounts(worker, currency).items()
    }
