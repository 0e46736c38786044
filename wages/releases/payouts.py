"""Paying a released worker out (Mandela Rule 103.3; DESIGN.md, "Ledger").

    release_payout(*, settlement, method, iban=None, user) -> ReleaseSettlement
    release_payout_back_wages(*, settlement, user) -> ReleaseSettlement

``release_payout`` pays out, in full, what the worker's own spending, release savings and family
accounts hold, and the back wages owed to them as far as their payers have paid them
(``wages.releases.back_wages``). **The family balance is paid to the worker**: it is the worker's
own wages set aside for their family, and what was not remitted before the release is the
worker's to hand on from now; leaving it in an account nobody may remit from any longer would
keep it from both. One journal, key ``release:<worker reference>``, dated the day of payout, in
``todays_chain("wages")``: debit each account what it holds, credit ``bank`` (transfer) or
``cash`` (the prison's cash office) the total. The amounts are the accounts' balances, already in
the currency's minor unit, so nothing is rounded. Then a receipt PDF in the worker's language.

It refuses (``wages.releases.refusals``), in words and changing nothing: a worker already paid out (the settlement is locked
and paid once; the DB holds one settlement per worker and one payout journal per key); work not
yet paid by a posted run (the final pay, ``wages.releases.unpaid``); a transfer without a valid
IBAN (``schwifty``). The settlement's row lock serialises payouts of one worker; the worker's
accounts are locked in pk order, as posting locks them.

``release_payout_back_wages`` pays the back wages left owed at the payout, once their payers'
receipts cover all of them (all or nothing, so it happens once: key
``release:<reference>:back-wages``), the same way, with its own receipt. After it the worker's
accounts all read zero.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money
from wagtail.log_actions import log

from core.formatting import format_day, format_money
from wages.ledger.accounts import BANK, CASH, AccountSpec, ensure_accounts
from wages.ledger.days import todays_chain
from wages.ledger.posting import post_journal
from wages.ledger.worker_accounts import (
    BACK_WAGES_OWED,
    FAMILY,
    OWN_SPENDING,
    RELEASE_SAVINGS,
    purposes,
)
from wages.models import Account, ReleaseSettlement
from wages.payruns.amounts import money_text
from wages.releases import back_wages
from wages.releases.receipts import store_receipt
from wages.releases.refusals import balance_held, checked_iban, refuse_paid, refuse_unpaid_work

PAY_OUT = "wages.pay_out_release"
PAID_IN_FULL = (OWN_SPENDING, RELEASE_SAVINGS, FAMILY)
ZERO = Decimal(0)


def _require_permission(user) -> None:
    if user is None or not user.has_perm(PAY_OUT):
        raise PermissionDenied(_("You may not pay out released workers."))


def _locked(settlement: ReleaseSettlement) -> ReleaseSettlement:
    return (
        ReleaseSettlement.objects.select_for_update(of=("self",))
        .select_related("worker", "paid_by")
        .get(pk=settlement.pk)
    )


def _accounts(settlement) -> dict[str, Account]:
    """The worker's sub-accounts by kind, row-locked in pk order."""
    by_purpose = {purpose: kind for kind, purpose in purposes().items() if purpose}
    rows = (
        Account.objects.select_for_update()
        .filter(
            worker=settlement.worker,
            currency=settlement.currency,
            purpose__in=list(by_purpose),
        )
        .order_by("pk")
    )
    return {by_purpose[account.purpose]: account for account in rows}


def _counter_account(method: str, currency: str):
    spec = (
        AccountSpec(BANK, _("bank"), Account.Kind.ASSET)
        if method == ReleaseSettlement.Method.TRANSFER
        else AccountSpec(CASH, _("cash"), Account.Kind.ASSET)
    )
    return Account.objects.get(pk=ensure_accounts([spec], currency)[spec.key].pk)


def _text(amount: Decimal, currency: str) -> str:
    """Already in the currency's minor unit (a balance): written with exactly its decimals."""
    return money_text(amount, currency)


@transaction.atomic
def release_payout(
    *, settlement: ReleaseSettlement, method: str, iban: str | None = None, user
) -> ReleaseSettlement:
    _require_permission(user)
    settlement = _locked(settlement)
    refuse_paid(settlement)
    iban = checked_iban(method, iban)
    refuse_unpaid_work(settlement)
    accounts = _accounts(settlement)
    amounts = {kind: balance_held(accounts, kind, settlement) for kind in PAID_IN_FULL}
    owed = back_wages.owed_by_payer(settlement.worker, settlement)
    paid_back = back_wages.covered(owed, back_wages.available(owed, lock=True))
    left = balance_held(accounts, BACK_WAGES_OWED, settlement)
    for payer in list(paid_back):  # never more than the account holds
        paid_back[payer] = min(paid_back[payer], left)
        left -= paid_back[payer]
    paid_back = {payer: amount for payer, amount in paid_back.items() if amount > 0}
    amounts[BACK_WAGES_OWED] = sum(paid_back.values(), ZERO)
    key = f"release:{settlement.worker.reference}"
    total = sum(amounts.values(), ZERO)
    if total:
        lines = [(accounts[kind], amount) for kind, amount in amounts.items() if amount]
        lines.append((_counter_account(method, settlement.currency), -total))
        post_journal(
            key=key,
            on=timezone.localdate(),
            lines=lines,
            memo=_("Paid out on release: %(worker)s") % {"worker": settlement.worker},
            chain=todays_chain("wages"),
            user=user,
        )
    settlement.status = ReleaseSettlement.Status.PAID
    settlement.method, settlement.iban = method, iban
    settlement.amounts = {
        kind: _text(amount, settlement.currency) for kind, amount in amounts.items()
    }
    settlement.back_wages_by_payer = {
        payer: _text(a, settlement.currency) for payer, a in paid_back.items()
    }
    settlement.journal_key = key if total else ""
    settlement.paid_by, settlement.paid_at = user, timezone.now()
    settlement.receipt = store_receipt(settlement, amounts, part="payout")
    settlement.save()
    log(
        settlement,
        "bridgework.release_paid_out",
        user=user,
        data={
            "method": method,
            "amounts": settlement.amounts,
            "total": _text(total, settlement.currency),
            "journal": settlement.journal_key,
            "receipt_sha256": settlement.receipt.sha256,
        },
    )
    return settlement


def back_wages_still_owed(settlement: ReleaseSettlement) -> Decimal:
    """What the worker's back-wages account still holds (zero when there is none)."""
    account = Account.objects.filter(
        worker=settlement.worker,
        currency=settlement.currency,
        purpose=purposes()[BACK_WAGES_OWED],
    ).first()
    return -account.balance if account is not None else ZERO


@transaction.atomic
def release_payout_back_wages(*, settlement: ReleaseSettlement, user) -> ReleaseSettlement:
    _require_permission(user)
    settlement = _locked(settlement)
    if not settlement.is_paid:
        raise ValidationError(_("Pay the settlement out first; its back wages are paid with it."))
    if settlement.back_wages_paid_at is not None:
        raise ValidationError(
            _("%(worker)s's back wages were paid out on %(day)s: they are paid once.")
            % {
                "worker": settlement.worker,
                "day": format_day(timezone.localtime(settlement.back_wages_paid_at).date()),
            }
        )
    accounts = _accounts(settlement)
    left = balance_held(accounts, BACK_WAGES_OWED, settlement)
    owed = back_wages.owed_by_payer(settlement.worker, settlement)
    if not left or not owed:
        raise ValidationError(
            _("%(worker)s is owed no back wages: there is nothing more to pay out.")
            % {"worker": settlement.worker}
        )
    held = back_wages.available(owed, lock=True)
    short = {payer: amount for payer, amount in owed.items() if held.get(payer, ZERO) < amount}
    if short:
        payer, amount = next(iter(short.items()))
        raise ValidationError(
            _(
                "%(worker)s is owed %(owed)s of back wages by %(payer)s, whose payments still "
                "hold %(held)s: record the payer's payment first, then pay out."
            )
            % {
                "worker": settlement.worker,
                "owed": format_money(Money(amount, settlement.currency)),
                "payer": payer,
                "held": format_money(Money(held.get(payer, ZERO), settlement.currency)),
            }
        )
    total = min(sum(owed.values(), ZERO), left)
    key = f"release:{settlement.worker.reference}:back-wages"
    post_journal(
        key=key,
        on=timezone.localdate(),
        lines=[
            (accounts[BACK_WAGES_OWED], total),
            (_counter_account(settlement.method, settlement.currency), -total),
        ],
        memo=_("Back wages paid out after release: %(worker)s") % {"worker": settlement.worker},
        chain=todays_chain("wages"),
        user=user,
    )
    paid = dict(settlement.back_wages_by_payer)
    for payer, amount in owed.items():
        paid[payer] = _text(Decimal(paid.get(payer, "0")) + amount, settlement.currency)
    settlement.back_wages_by_payer = paid
    settlement.back_wages_journal_key = key
    settlement.back_wages_paid_at = timezone.now()
    settlement.back_wages_receipt = store_receipt(
        settlement, {BACK_WAGES_OWED: total}, part="back-wages"
    )
    settlement.save()
    log(
        settlement,
        "bridgework.release_back_wages_paid_out",
        user=user,
        data={"amount": _text(total, settlement.currency), "journal": key},
    )
    return settlement
