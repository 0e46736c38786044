"""The demo's partner labour invoices (Mandela Rule 100.2): each partner is invoiced for a month
its pay runs have posted. The fair partner, Atlas Textiles, is invoiced for each of the last two
posted months and has paid both in full (its back wages, if any, go to the workers with the next
run), so PARTNER_PAYS_FULL_WAGE finds no posted hours left uninvoiced; the unfair
one, Quickfix Assembly, was invoiced for the month before, a few days after it ended, and has
not paid: the invoice is overdue, on the finance dashboard and in the overdue report. The
market wage benchmarks come from ``brand.demo.pay``."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from wages.invoices import labour_invoice_issue, labour_payment_record
from wages.models import LabourInvoice, PayRun
from workshops.models import Partner

FAIR, UNFAIR = "atlas-textiles", "quickfix-assembly"
SENT_AFTER = datetime.timedelta(days=3)  # an invoice goes out a few days after its month
PAID_AFTER = datetime.timedelta(days=20)


def _posted_months() -> list[tuple[datetime.date, datetime.date]]:
    """The months whose runs are all posted, latest first."""
    months = PayRun.objects.values_list("period_start", "period_end").distinct()
    open_starts = set(
        PayRun.objects.exclude(status__in=(PayRun.Status.POSTED, PayRun.Status.CANCELLED))
        .values_list("period_start", flat=True)
        .distinct()
    )
    return sorted({m for m in months if m[0] not in open_starts}, reverse=True)


def seed_labour_invoices() -> dict:
    officer = get_user_model().objects.get(username="finance")
    months = _posted_months()
    if len(months) < 2:
        return {"labour invoices": LabourInvoice.objects.count()}
    partners = {p.slug: p for p in Partner.objects.filter(slug__in=(FAIR, UNFAIR))}
    # Issued in date order, so the series' numbers follow the dates.
    for slug, (start, end) in ((UNFAIR, months[1]), (FAIR, months[1]), (FAIR, months[0])):
        partner = partners.get(slug)
        if (
            partner is None
            or LabourInvoice.objects.filter(partner=partner, period_start=start).exists()
        ):
            continue
        invoice = labour_invoice_issue(
            partner=partner, start=start, end=end, user=officer, on=end + SENT_AFTER
        )
        if slug == FAIR:
            labour_payment_record(
                invoice=invoice,
                amount=invoice.total,
                on=min(invoice.issued_on + PAID_AFTER, timezone.localdate()),
                reference=f"ATLAS-{invoice.number}",
                user=officer,
            )
    return {"labour invoices": LabourInvoice.objects.count()}
