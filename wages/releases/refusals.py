"""What a payout refuses, in words that name the figures and say what to do
(``wages.releases.payouts``): a worker already paid out, work not yet paid by a posted run (the
final pay), a transfer without a valid IBAN, an account in debit. Each raises before anything
is written."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from core.formatting import format_day, format_money, format_number
from wages.models import ReleaseSettlement
from wages.releases.unpaid import refresh_status, unpaid_work

ZERO = Decimal(0)


def checked_iban(method: str, iban: str | None) -> str:
    if method not in ReleaseSettlement.Method.values:
        raise ValidationError(_("Choose how the worker is paid: bank transfer or cash."))
    if method == ReleaseSettlement.Method.CASH:
        return ""
    if not (iban or "").strip():
        raise ValidationError(_("A bank transfer needs the worker's IBAN: enter it, or pay cash."))
    try:
        return IBAN((iban or "").strip()).compact
    except SchwiftyException as invalid:
        raise ValidationError(
            _("%(iban)s is not a valid IBAN (%(problem)s): check it with the worker.")
            % {"iban": iban.strip(), "problem": invalid}
        ) from invalid


def refuse_paid(settlement) -> None:
    if settlement.is_paid:
        raise ValidationError(
            _(
                "%(worker)s was paid out on %(day)s by %(user)s (journal %(key)s): a worker is "
                "paid out once. Download the receipt from the settlement instead."
            )
            % {
                "worker": settlement.worker,
                "day": format_day(timezone.localtime(settlement.paid_at).date()),
                "user": settlement.paid_by,
                "key": settlement.journal_key or "—",
            }
        )


def refuse_unpaid_work(settlement) -> None:
    if refresh_status(settlement) != ReleaseSettlement.Status.WAITING:
        return
    parts = []
    for unpaid in unpaid_work(settlement.worker):
        parts.append(
            _(
                "%(records)s production records, %(sessions)s training sessions and "
                "%(adjustments)s adjustments at %(prison)s (%(hours)s hours) are in no posted "
                "pay run"
            )
            % {
                "records": unpaid.records,
                "sessions": unpaid.sessions,
                "adjustments": unpaid.adjustments,
                "prison": unpaid.prison,
                "hours": format_number(unpaid.hours, places=2),
            }
        )
    raise ValidationError(
        _(
            "%(worker)s's final pay is not paid yet: %(what)s. Post the pay run that covers "
            "%(day)s first, then pay out."
        )
        % {
            "worker": settlement.worker,
            "what": "; ".join(parts),
            "day": format_day(settlement.released_on),
        }
    )


def balance_held(accounts: dict, kind: str, settlement) -> Decimal:
    """What the worker is owed in ``kind`` (a liability's credit balance, shown positive); an
    account in debit (the worker owes it) is refused in words."""
    account = accounts.get(kind)
    owed = -account.balance if account is not None else ZERO
    if owed < 0:
        raise ValidationError(
            _(
                "%(worker)s's account %(account)s is overdrawn by %(amount)s: correct it before "
                "paying out."
            )
            % {
                "worker": settlement.worker,
                "account": account.code,
                "amount": format_money(Money(-owed, settlement.currency)),
            }
        )
    return owed
