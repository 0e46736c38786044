"""Partner labour invoices: issuing one, and recording the payments received for it (Mandela
Rule 100.2; ``wages.models.invoices`` says what an invoice holds, ``charges`` what it charges,
``journals`` how it is posted).

    labour_invoice_issue(*, partner, start, end, user, language=None, on=None) -> LabourInvoice
    labour_payment_record(*, invoice, amount, on, reference, user) -> LabourPayment

Both are for finance officers, work in one transaction on the partner's row lock (so two issues
for one partner, or two payments of one invoice, take turns) and write the audit log; a refused
one changes nothing. An invoice's period is over, in order, holds a contract in force, and
overlaps no earlier invoice of the partner. It is issued today, or on a day given (``on``: the
day it was sent), never in the future and never before the series' last invoice, so numbers
follow dates; it is due ``BRIDGEWORK_LABOUR_INVOICE_TERMS_DAYS`` after it is issued (30 by
default).

**Payments.** A payment is of more than zero and at most what is still owed: an over-payment is
refused, to be recorded for what is owed and the rest returned (a credit held for a partner
would be money in the ledger with no invoice to explain it). **Back wages are paid first**: of
everything paid on an invoice, the first ``back_wages`` are the workers', so each payment records
the part of it that newly covers them as a back wages receipt of the partner
(``record_back_wages_receipt``, key ``labour-invoice:<number>:back-wages:<n>``), and the next pay
run pays the workers out of it.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from djmoney.money import Money
from wagtail.log_actions import log

from core.formatting import format_day, format_money
from wages.invoices.charges import labour_charges
from wages.invoices.journals import post_invoice_journal, post_payment_journal
from wages.invoices.numbering import next_number
from wages.models import (
    LabourInvoice,
    LabourInvoiceLine,
    LabourInvoiceRun,
    LabourPayment,
)
from wages.payruns.back_wages_receipts import record_back_wages_receipt
from workshops.models import Partner

ISSUE = "wages.add_labourinvoice"
RECORD_PAYMENT = "wages.add_labourpayment"
DEFAULT_TERMS_DAYS = 30


def terms_days() -> int:
    return int(getattr(settings, "BRIDGEWORK_LABOUR_INVOICE_TERMS_DAYS", DEFAULT_TERMS_DAYS))


def _refuse_period(partner: Partner, start: datetime.date, end: datetime.date, on) -> None:
    if end < start:
        raise ValidationError(
            _("The period ends on %(end)s, before it starts on %(start)s: swap the dates.")
            % {"start": format_day(start), "end": format_day(end)}
        )
    if on > timezone.localdate():
        raise ValidationError(_("An invoice cannot be issued on a day still to come."))
    if end >= on:
        raise ValidationError(
            _("The period ends on %(end)s: a period is invoiced once it is over (after %(end)s).")
            % {"end": format_day(end)}
        )
    earlier = (
        LabourInvoice.objects.filter(partner=partner, period_start__lte=end, period_end__gte=start)
        .order_by("period_start")
        .first()
    )
    if earlier is not None:
        raise ValidationError(
            _(
                "Invoice %(number)s already charges %(partner)s for %(period)s: invoice the days "
                "after it."
            )
            % {"number": earlier.number, "partner": partner, "period": earlier.period()}
        )


def _refuse_earlier_than_last(on: datetime.date) -> None:
    last = LabourInvoice.objects.filter(year=on.year).order_by("-sequence").first()
    if last is not None and last.issued_on > on:
        raise ValidationError(
            _(
                "Invoice %(number)s was issued on %(day)s: a later number cannot carry an "
                "earlier date. Issue this one on %(day)s or later."
            )
            % {"number": last.number, "day": format_day(last.issued_on)}
        )


@transaction.atomic
def labour_invoice_issue(
    *,
    partner: Partner,
    start: datetime.date,
    end: datetime.date,
    user,
    language: str | None = None,
    on: datetime.date | None = None,
) -> LabourInvoice:
    if user is None or not user.has_perm(ISSUE):
        raise PermissionDenied(_("You may not issue labour invoices."))
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    on = on or timezone.localdate()
    _refuse_period(partner, start, end, on)
    currency = settings.BRIDGEWORK_CURRENCY
    charges = labour_charges(partner, start, end, currency)
    sequence, number = next_number(on.year)
    _refuse_earlier_than_last(on)  # under the counter's lock: the last one is settled
    labour = charges.labour_total + charges.wages_above
    invoice = LabourInvoice.objects.create(
        number=number,
        year=on.year,
        sequence=sequence,
        partner=partner,
        period_start=start,
        period_end=end,
        issued_on=on,
        due_on=on + datetime.timedelta(days=terms_days()),
        currency=currency,
        labour=labour,
        wages_charged=charges.wages,
        back_wages=charges.back_wages,
        total=labour + charges.back_wages,
        language=language or get_language() or settings.LANGUAGE_CODE,
        journal_key=f"labour-invoice:{number}",
        issued_by=user,
    )
    lines = [
        LabourInvoiceLine(
            invoice=invoice,
            kind=LabourInvoiceLine.Kind.LABOUR,
            contract=line.contract,
            workshop=line.contract.workshop,
            hours=line.hours,
            benchmark=line.benchmark,
            benchmark_hourly=line.benchmark.hourly.amount,
            charge_hourly=line.contract.labour_charge_per_hour.amount,
            rate=line.rate,
            amount=line.amount,
        )
        for line in charges.labour
    ]
    for kind, amount in (
        (LabourInvoiceLine.Kind.WAGES_ABOVE, charges.wages_above),
        (LabourInvoiceLine.Kind.BACK_WAGES, charges.back_wages),
    ):
        if amount:
            lines.append(LabourInvoiceLine(invoice=invoice, kind=kind, amount=amount))
    LabourInvoiceLine.objects.bulk_create(lines)
    LabourInvoiceRun.objects.bulk_create(
        LabourInvoiceRun(invoice=invoice, run=run, partner=partner, wages=wages, back_wages=back)
        for run, (wages, back) in charges.runs.items()
    )
    post_invoice_journal(invoice, user=user)
    log(invoice, "bridgework.labour_invoice_issued", user=user)
    from wages.invoices.documents import print_labour_invoice

    transaction.on_commit(lambda: print_labour_invoice.enqueue(invoice_id=invoice.pk))
    return invoice


@transaction.atomic
def labour_payment_record(
    *,
    invoice: LabourInvoice,
    amount: Decimal,
    on: datetime.date,
    reference: str,
    user,
) -> LabourPayment:
    if user is None or not user.has_perm(RECORD_PAYMENT):
        raise PermissionDenied(_("You may not record payments of labour invoices."))
    Partner.objects.select_for_update().get(pk=invoice.partner_id)
    invoice = LabourInvoice.objects.select_for_update().select_related("partner").get(pk=invoice.pk)
    reference = reference.strip()
    _refuse_payment(invoice, amount, on, reference)
    covered_before = min(invoice.paid, invoice.back_wages)
    paid = invoice.paid + amount
    back_wages = min(paid, invoice.back_wages) - covered_before
    sequence = invoice.payments.count() + 1
    payment = LabourPayment.objects.create(
        invoice=invoice,
        sequence=sequence,
        amount=amount,
        received_on=on,
        reference=reference,
        back_wages=back_wages,
        journal_key=f"labour-invoice:{invoice.number}:payment:{sequence}",
        recorded_by=user,
    )
    invoice.paid = paid
    invoice.status = (
        LabourInvoice.Status.PAID if paid == invoice.total else LabourInvoice.Status.PARTLY_PAID
    )
    invoice.save(update_fields=["paid", "status"])
    post_payment_journal(payment, user=user)
    if back_wages:
        record_back_wages_receipt(
            payer=f"partner:{invoice.partner_id}",
            amount=back_wages,
            on=on,
            source=_("Labour invoice %(number)s, payment %(reference)s")
            % {"number": invoice.number, "reference": reference},
            key=f"labour-invoice:{invoice.number}:back-wages:{sequence}",
            user=user,
            currency=invoice.currency,
            check_permission=False,
        )
    log(payment, "bridgework.labour_payment_recorded", user=user)
    return payment


def _refuse_payment(invoice: LabourInvoice, amount: Decimal, on, reference: str) -> None:
    owed = invoice.outstanding

    def shown(value):
        return format_money(Money(value, invoice.currency))

    if amount <= 0:
        raise ValidationError(_("A payment is of more than zero."))
    if not reference:
        raise ValidationError(_("Give the bank's reference of the payment."))
    if on > timezone.localdate():
        raise ValidationError(_("Money cannot be received on a day still to come."))
    if on < invoice.issued_on:
        raise ValidationError(
            _("Invoice %(number)s was issued on %(issued)s: a payment of it comes after.")
            % {"number": invoice.number, "issued": format_day(invoice.issued_on)}
        )
    if owed == 0:
        raise ValidationError(
            _("Invoice %(number)s is paid in full: nothing more is owed on it.")
            % {"number": invoice.number}
        )
    if amount > owed:
        raise ValidationError(
            _(
                "%(amount)s is more than the %(owed)s still owed on invoice %(number)s: record "
                "%(owed)s and return the other %(over)s to the partner."
            )
            % {
                "amount": shown(amount),
                "owed": shown(owed),
                "number": invoice.number,
                "over": shown(amount - owed),
            }
        )
    if invoice.payments.filter(reference=reference).exists():
        raise ValidationError(
            _("Payment %(reference)s is already recorded against invoice %(number)s.")
            % {"reference": reference, "number": invoice.number}
        )
