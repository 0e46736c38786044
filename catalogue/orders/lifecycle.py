"""An order's lifecycle, one operation per step (DESIGN.md, "catalogue/"):

    awaiting payment ──mark_paid / pay_order──▶ paid ──pack──▶ packed ──ship──▶ shipped ──deliver──▶ delivered
          │
          └──cancel / expire_unpaid_orders──▶ cancelled

Each operation checks permission first, locks the order row, changes everything in one
transaction, writes the audit log and refuses a wrong step in words. Payment **sells** the
order's stock reservation (``workshops.inventory``), posts the payment's journal and, for an
order not yet invoiced (a card order), issues the invoice and posts its journal; cancelling
**releases** the reservation. E-mails are queued after the transaction commits. No lock is held
while anything outside the database is called.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from catalogue.invoices.issuing import issue_invoice
from catalogue.models import Order, StatementLine
from catalogue.orders.emails import send_order_email
from catalogue.orders.journals import post_invoice_journal, post_payment_journal
from core.formatting import format_day
from workshops.inventory.reservations import release, sell

Status = Order.Status
MARK_PAID = "catalogue.mark_order_paid"
FULFIL = "catalogue.fulfil_order"
CANCEL = "catalogue.cancel_order"


def require_permission(user, permission: str) -> None:
    if user is None or not user.has_perm(permission):
        raise PermissionDenied(_("You may not do this to orders."))


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def _refuse(order: Order, *, step: str, expected: tuple[str, ...]) -> None:
    if order.status not in expected:
        raise ValidationError(
            _("Order %(number)s is %(status)s: it cannot be %(step)s.")
            % {"number": order.number, "status": order.get_status_display(), "step": step}
        )


def _email_after_commit(order: Order, kind: str) -> None:
    transaction.on_commit(lambda: send_order_email(order, kind=kind))


def _paid(order: Order, *, on: datetime.date, card: bool, user) -> Order:
    """Sell the reservation, invoice when not yet invoiced, post the payment (order locked)."""
    sell(order.reservation)
    invoice = issue_invoice(order, on=on)
    post_invoice_journal(invoice, user=user)
    # Transfers matched from a bank statement posted their own journals: only the rest is
    # received now, so receivables are never credited twice.
    received = StatementLine.objects.received_for(order)
    post_payment_journal(order, on=on, card=card, user=user, amount=order.total.amount - received)
    order.status, order.paid_at = Status.PAID, timezone.now()
    order.save(update_fields=["status", "paid_at"])
    _email_after_commit(order, "paid")
    return order


@transaction.atomic
def mark_paid(order: Order, *, user, on: datetime.date | None = None) -> Order:
    """A finance officer records that an order on invoice's transfer arrived on ``on``."""
    require_permission(user, MARK_PAID)
    order = _locked(order)
    if order.status == Status.PAID and order.payment_method == "invoice":
        return order  # recorded already: a double click changes nothing
    _refuse(order, step=_("marked paid"), expected=(Status.AWAITING_PAYMENT,))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError(_("A payment cannot arrive in the future."))
    if on < order.placed_at.date():
        raise ValidationError(
            _("Order %(number)s was placed on %(day)s: it cannot have been paid before.")
            % {"number": order.number, "day": format_day(timezone.localdate(order.placed_at))}
        )
    _paid(order, on=on, card=False, user=user)
    log(order, "bridgework.order_paid", user=user, data={"on": on.isoformat()})
    return order


@transaction.atomic
def pay_order(order: Order, *, method: str, on: datetime.date | None = None) -> Order:
    """The payment provider confirmed ``order``'s payment (no staff user: the provider's event
    is the authority, checked by its caller). Paying a paid order again changes nothing."""
    order = _locked(order)
    if order.paid_at is not None:
        return order
    _refuse(order, step=_("paid"), expected=(Status.AWAITING_PAYMENT,))
    _paid(order, on=on or timezone.localdate(), card=method != "invoice", user=None)
    log(order, "bridgework.order_paid", data={"method": method})
    return order


@transaction.atomic
def pack(order: Order, *, user) -> Order:
    require_permission(user, FULFIL)
    order = _locked(order)
    _refuse(order, step=_("packed"), expected=(Status.PAID,))
    order.status, order.packed_at = Status.PACKED, timezone.now()
    order.save(update_fields=["status", "packed_at"])
    log(order, "bridgework.order_packed", user=user)
    return order


@transaction.atomic
def ship(order: Order, *, user, carrier: str, tracking_number: str = "") -> Order:
    """Hand the parcel to ``carrier``; collection from a shop needs no carrier."""
    require_permission(user, FULFIL)
    order = _locked(order)
    _refuse(order, step=_("shipped"), expected=(Status.PACKED,))
    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    collected = order.shipping_rate.kind == order.shipping_rate.Kind.COLLECTION
    if not carrier and not collected:
        raise ValidationError(_("Name the carrier that takes the parcel."))
    if len(carrier) > 80 or len(tracking_number) > 80:
        raise ValidationError(_("A carrier and a tracking number are at most 80 characters."))
    order.status, order.shipped_at = Status.SHIPPED, timezone.now()
    order.carrier, order.tracking_number = carrier, tracking_number
    order.save(update_fields=["status", "shipped_at", "carrier", "tracking_number"])
    log(order, "bridgework.order_shipped", user=user, data={"carrier": carrier})
    _email_after_commit(order, "shipped")
    return order


@transaction.atomic
def deliver(order: Order, *, user) -> Order:
    require_permission(user, FULFIL)
    order = _locked(order)
    _refuse(order, step=_("marked delivered"), expected=(Status.SHIPPED,))
    order.status, order.delivered_at = Status.DELIVERED, timezone.now()
    order.save(update_fields=["status", "delivered_at"])
    log(order, "bridgework.order_delivered", user=user)
    return order


def _cancelled(order: Order, *, reason: str) -> Order:
    release(order.reservation)
    order.status, order.cancelled_at = Status.CANCELLED, timezone.now()
    order.cancel_reason = reason
    order.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    return order


@transaction.atomic
def cancel(order: Order, *, user, reason: str) -> Order:
    """Cancel an unpaid order and give its stock back. A paid order is refunded instead (credit
    notes come with refunds)."""
    require_permission(user, CANCEL)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the order is cancelled."))
    order = _locked(order)
    _refuse(order, step=_("cancelled"), expected=(Status.AWAITING_PAYMENT,))
    _cancelled(order, reason=reason[:200])
    log(order, "bridgework.order_cancelled", user=user, data={"reason": reason[:200]})
    return order


@transaction.atomic
def cancel_unpaid(order: Order, *, reason: str) -> Order:
    """The payment provider said ``order``'s payment will not come (its Checkout Session expired,
    or its payment failed): cancel it and give its stock back. No staff user: the provider's
    verified event is the authority, checked by its caller. A cancelled order stays as it is; a
    paid one is refused."""
    order = _locked(order)
    if order.status == Status.CANCELLED:
        return order
    _refuse(order, step=_("cancelled"), expected=(Status.AWAITING_PAYMENT,))
    _cancelled(order, reason=reason[:200])
    log(order, "bridgework.order_cancelled", data={"reason": reason[:200]})
    return order


def expire_unpaid_orders(now: datetime.datetime | None = None) -> int:
    """Cancel every order awaiting payment whose reservation has expired; how many."""
    now = now or timezone.now()
    # An order partly paid by transfer keeps its stock: finance settles it (or pays it back).
    partly_paid = StatementLine.objects.paying().filter(order=OuterRef("pk"))
    expired = (
        Order.objects.filter(status=Status.AWAITING_PAYMENT, reservation__expires_at__lte=now)
        .exclude(Exists(partly_paid))
        .values_list("pk", flat=True)
    )
    cancelled = 0
    for pk in list(expired):
        with transaction.atomic():
            order = Order.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if order is None or order.status != Status.AWAITING_PAYMENT:
                continue
            _cancelled(order, reason=_("Not paid in time."))
            log(order, "bridgework.order_cancelled", data={"reason": "expired"})
            cancelled += 1
    return cancelled


@transaction.atomic
def pay_from_transfers(order: Order, *, on: datetime.date, user=None) -> Order:
    """The bank transfers matched to ``order`` (``catalogue.statements.matching``) now cover its
    total: sell the reservation, invoice it if it was not yet, mark it paid and tell the buyer.
    Each transfer posted its own journal (bank debited, receivables credited) when it was
    matched, so no payment journal is posted here, unlike ``mark_paid``. The caller checked the
    permission (importing or matching a statement). Paying a paid order again changes nothing."""
    order = _locked(order)
    if order.paid_at is not None:
        return order
    _refuse(order, step=_("paid"), expected=(Status.AWAITING_PAYMENT,))
    sell(order.reservation)
    invoice = issue_invoice(order, on=on)
    post_invoice_journal(invoice, user=user)
    order.status, order.paid_at = Status.PAID, timezone.now()
    order.save(update_fields=["status", "paid_at"])
    _email_after_commit(order, "paid")
    log(
        order, "bridgework.order_paid", user=user, data={"method": "transfer", "on": on.isoformat()}
    )
    return order
