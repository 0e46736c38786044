"""Reminding buyers of overdue invoices, once per invoice and stage.

    send_payment_reminders(*, today=None, dry_run=False, report=print) -> Summary

Run daily from cron (``manage.py send_payment_reminders``). An invoice is **overdue** when its
order still awaits payment after its ``due_on``; cancelled and paid orders get nothing. The
schedule is the shop's (``ShopSettings``): the first reminder ``first_reminder_days`` after the
due date, the second ``second_reminder_days`` after it (0: none). A run sends each invoice at most
one reminder: the latest stage that is due and not yet sent (an invoice first seen 20 days late
gets the second reminder, and the first is never sent after it).

Each reminder is claimed in its own transaction: the order row is locked, its status read again,
and the ``PaymentReminder`` row written, whose unique key (invoice, stage) makes a second run, or
a run at the same moment, find it and send nothing. The e-mail is queued after the commit, so no
lock is held while it is rendered or sent, and a reminder rolled back sends nothing.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from catalogue.models import Invoice, Order, PaymentReminder, ShopSettings
from catalogue.orders.emails import order_url
from core.mail import send_templated_email

Stage = PaymentReminder.Stage


@dataclass
class Summary:
    sent: list[str] = field(default_factory=list)  # "BW-2026-0001 first"
    already_sent: int = 0
    not_yet: int = 0  # overdue, but no reminder due yet today


def stage_due(days_overdue: int, shop: ShopSettings) -> str | None:
    """The latest stage due ``days_overdue`` days after the due date, or None."""
    if shop.second_reminder_days and days_overdue >= shop.second_reminder_days:
        return Stage.SECOND
    if days_overdue >= shop.first_reminder_days:
        return Stage.FIRST
    return None


def overdue_invoices(today: datetime.date):
    """Invoices whose order awaits payment after their due date, oldest due first."""
    return (
        Invoice.objects.filter(order__status=Order.Status.AWAITING_PAYMENT, due_on__lt=today)
        .select_related("order")
        .order_by("due_on", "pk")
    )


def send_reminder_email(reminder: PaymentReminder):
    invoice = reminder.invoice
    order = invoice.order
    return send_templated_email(
        template="catalogue/email/payment_reminder",
        context={
            "order": order,
            "invoice": invoice,
            "reminder": reminder,
            "second": reminder.stage == Stage.SECOND,
            "lines": list(order.lines.all()),
            "shop": ShopSettings.load(),
            "order_url": order_url(order),
        },
        to=[reminder.email],
        language=order.language,
    )


def _claim(invoice: Invoice, stage: str, today: datetime.date) -> PaymentReminder | None:
    """Record ``invoice``'s reminder of ``stage``; None when it was sent already or the order is
    no longer awaiting payment."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=invoice.order_id)
        if order.status != Order.Status.AWAITING_PAYMENT:
            return None
        if PaymentReminder.objects.filter(invoice=invoice, stage__gte=stage).exists():
            return None  # this stage, or a later one ("second" > "first"), went out already
        try:
            with transaction.atomic():
                reminder = PaymentReminder.objects.create(
                    invoice=invoice,
                    stage=stage,
                    sent_on=today,
                    days_overdue=(today - invoice.due_on).days,
                    email=order.email,
                )
        except IntegrityError:
            return None  # another run recorded it a moment ago
        log(
            order,
            "bridgework.payment_reminder_sent",
            data={"invoice": invoice.number, "stage": stage, "on": today.isoformat()},
        )
        transaction.on_commit(lambda: send_reminder_email(reminder))
    return reminder


def send_payment_reminders(
    *,
    today: datetime.date | None = None,
    dry_run: bool = False,
    report: Callable[[str], object] = print,
) -> Summary:
    """Send the reminders due ``today`` (the site's today by default); with ``dry_run``, say
    which would go and change nothing. ``report`` receives one line per invoice."""
    today = today or timezone.localdate()
    shop = ShopSettings.load()
    summary = Summary()
    for invoice in overdue_invoices(today):
        order = invoice.order
        days = (today - invoice.due_on).days
        stage = stage_due(days, shop)
        if stage is None:
            summary.not_yet += 1
            continue
        label = Stage(stage).label
        done = PaymentReminder.objects.filter(invoice=invoice, stage__gte=stage).exists()
        if done or (not dry_run and _claim(invoice, stage, today) is None):
            summary.already_sent += 1
            report(f"{order.number}: {label} already sent")
            continue
        summary.sent.append(f"{order.number} {stage}")
        verb = "would be sent" if dry_run else "sent"
        report(
            f"{order.number}: {label} {verb} to {order.email} "
            f"(invoice {invoice.number}, {days} days overdue)"
        )
    return summary
