"""A labour invoice's and a labour payment's journals (DESIGN.md, "Ledger"), into the day's
wages chain (``wages.ledger.days.todays_chain("wages")``).

Issuing ``labour-invoice:<number>``, dated the day of issue:

    debit  partner:<id>:receivable   the invoice's total (labour + back wages)
    credit partner:<id>:labour       the wages and back wages the pay runs charged the partner
                                     (they debited this account when they were posted)
    credit labour-income             the rest: what the full normal wage of the hours exceeds
                                     what the workers were paid (Mandela Rule 100.2)

It balances exactly: total = labour + back wages, and labour ≥ wages (``charges``). The
difference is the administration's income, not the workers': they were paid at the contract's
rates, and anything below the wage floor is the back wages, which are passed on to them.

A payment ``labour-invoice:<number>:payment:<n>``, dated the day it was received:

    debit  bank                       the amount
    credit partner:<id>:receivable    the amount
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from djmoney.money import Money

from wages.ledger.accounts import BANK, AccountSpec, ensure_accounts
from wages.ledger.days import todays_chain
from wages.ledger.posting import post_journal
from wages.models import Account, Journal, LabourInvoice, LabourPayment

LABOUR_INCOME = "labour-income"


def receivable_code(partner_id: int) -> str:
    return f"partner:{partner_id}:receivable"


def _accounts(partner, currency: str) -> dict:
    specs = [
        AccountSpec(
            receivable_code(partner.pk),
            _("Labour invoiced to %(partner)s") % {"partner": partner},
            Account.Kind.ASSET,
        ),
        AccountSpec(
            f"partner:{partner.pk}:labour",
            _("Wages receivable from %(partner)s") % {"partner": partner},
            Account.Kind.ASSET,
        ),
        AccountSpec(LABOUR_INCOME, _("Labour charged to partners"), Account.Kind.INCOME),
        AccountSpec(BANK, _("Bank"), Account.Kind.ASSET),
    ]
    refs = ensure_accounts(specs, currency)
    loaded = Account.objects.in_bulk([ref.pk for ref in refs.values()])
    return {code: loaded[ref.pk] for code, ref in refs.items()}


def invoice_lines(invoice: LabourInvoice) -> list[tuple[str, Decimal]]:
    """The entries by account code, debit +, credit −, without zeros."""
    partner = invoice.partner_id
    charged = invoice.wages_charged + invoice.back_wages
    lines = [
        (receivable_code(partner), invoice.total),
        (f"partner:{partner}:labour", -charged),
        (LABOUR_INCOME, -(invoice.labour - invoice.wages_charged)),
    ]
    return [(code, amount) for code, amount in lines if amount]


def post_invoice_journal(invoice: LabourInvoice, *, user) -> Journal:
    accounts = _accounts(invoice.partner, invoice.currency)
    return post_journal(
        key=invoice.journal_key,
        on=invoice.issued_on,
        lines=[
            (accounts[code], Money(amount, invoice.currency))
            for code, amount in invoice_lines(invoice)
        ],
        memo=_("Labour invoice %(number)s to %(partner)s, %(period)s")
        % {"number": invoice.number, "partner": invoice.partner, "period": invoice.period()},
        chain=todays_chain("wages"),
        user=user,
    )


def post_payment_journal(payment: LabourPayment, *, user) -> Journal:
    invoice = payment.invoice
    accounts = _accounts(invoice.partner, invoice.currency)
    amount = Money(payment.amount, invoice.currency)
    return post_journal(
        key=payment.journal_key,
        on=payment.received_on,
        lines=[(accounts[BANK], amount), (accounts[receivable_code(invoice.partner_id)], -amount)],
        memo=_("Payment %(reference)s of labour invoice %(number)s")
        % {"reference": payment.reference, "number": invoice.number},
        chain=todays_chain("wages"),
        user=user,
    )
