"""What every journal must be, whether posted one at a time (``wages.ledger.posting``) or many at
once (``wages.ledger.bulk_posting``): each line in its account's currency, exact to that
currency's minor unit and within the column; the journal balanced per currency, with a memo, not
dated inside a closed period; and a key used once, for one set of lines on one day."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from moneyed import Money

from core.formatting import format_day
from core.money import minor_unit
from wages.models import Account, Journal
from wages.models.ledger import AMOUNT_LIMIT

LEDGER_UNIT = Decimal("0.001")  # the finest amount the ledger's columns hold (AMOUNT)


class JournalKeyReused(ValidationError):
    """The key was used before for a journal with other lines."""


def key_reused(key: str) -> JournalKeyReused:
    return JournalKeyReused(
        _("The journal key %(key)s was used before with other lines.") % {"key": key}
    )


def refuse_reused_key(earlier: Journal, *, key: str, lines, on: datetime.date) -> None:
    """``JournalKeyReused`` unless ``earlier``, the journal posted before under ``key``, has
    these checked ``lines`` and this date: posting the same journal twice is a no-op, posting
    another under its key is refused."""
    if not same_lines(earlier, lines) or earlier.on != on:
        raise key_reused(key)


def checked_line(account, amount) -> tuple[Account, Decimal, str]:
    """``account``: an Account, or anything with its ``pk``, ``code`` and ``currency``."""
    if isinstance(amount, Money):
        currency, value = amount.currency.code, amount.amount
    else:
        currency, value = account.currency, Decimal(amount)
    if currency != account.currency:
        raise ValidationError(
            _("%(account)s holds %(held)s, not %(currency)s.")
            % {"account": account.code, "held": account.currency, "currency": currency}
        )
    if not value.is_finite() or value == 0:
        raise ValidationError(_("An entry's amount is a number other than zero."))
    if abs(value) >= AMOUNT_LIMIT:
        raise ValidationError(
            _(
                "%(amount)s %(currency)s is more than the ledger holds: an amount has at most "
                "%(digits)s digits before the decimal point."
            )
            % {"amount": value, "currency": currency, "digits": len(str(AMOUNT_LIMIT)) - 1}
        )
    if value != value.quantize(minor_unit(currency)):
        raise ValidationError(
            _("%(amount)s has more decimals than %(currency)s has: round it first.")
            % {"amount": value, "currency": currency}
        )
    if value != value.quantize(LEDGER_UNIT):  # a currency of four decimals (CLF, UYW)
        raise ValidationError(
            _("%(amount)s has more than the three decimals the ledger keeps.") % {"amount": value}
        )
    return account, value, currency


def same_lines(journal: Journal, lines) -> bool:
    stored = sorted(journal.entries.values_list("account_id", "currency", "amount"))
    given = sorted((account.pk, currency, value) for account, value, currency in lines)
    return stored == given


def journal_problems(lines, *, memo: str, on: datetime.date, closed) -> list[str]:
    """Why a journal of checked ``lines`` cannot be posted (empty when it can)."""
    problems = []
    if len(lines) < 2:
        problems.append(_("A journal has at least two entries."))
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for _account, value, currency in lines:
        totals[currency] += value
    unbalanced = {currency: total for currency, total in totals.items() if total != 0}
    if unbalanced:
        problems.append(
            _("The journal does not balance: %(totals)s.")
            % {
                "totals": ", ".join(
                    f"{total:+} {currency}" for currency, total in unbalanced.items()
                )
            }
        )
    if not memo.strip():
        problems.append(_("A journal needs a memo."))
    if closed is not None and on <= closed:
        problems.append(
            _("The period up to %(closed)s is closed: no posting may be dated %(on)s.")
            % {"closed": format_day(closed), "on": format_day(on)}
        )
    return problems
