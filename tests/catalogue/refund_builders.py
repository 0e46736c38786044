"""Paid orders to refund, and what a refused refund must leave as it was: the tests' order of
``order_builders`` (bread 2 × 12.00, apron 30.50, shipping 6.00 at 20 %; 60.50 in all), paid on
invoice or by card (its Stripe PaymentIntent ``pi_bridgework``), with its invoice and journals."""

from decimal import Decimal

from moneyed import Money

from catalogue.models import CreditNote, CreditNoteCounter, Order, Refund, RefundPart
from catalogue.orders.lifecycle import pay_order
from catalogue.refunds.operations import refund_order
from tests.catalogue.order_builders import build_order, staff
from wages.models import Entry, Journal
from workshops.models import Stock, StockMovement

PAYMENT_INTENT = "pi_bridgework"


def paid_order(shop, number: str = "BW-2026-0001", *, method: str = "invoice", **fields) -> Order:
    if method == "card":
        fields.setdefault("provider_payment_id", PAYMENT_INTENT)
    order = build_order(shop, number, method=method, **fields)
    return pay_order(order, method=method)


def refunder(username: str = "julien"):
    return staff(username, "catalogue.refund_order", "catalogue.view_order")


def finance(username: str = "claire"):
    return staff(username, "catalogue.pay_back_refund", "catalogue.view_order")


def snapshot() -> dict:
    """Everything a refused refund must leave as it was."""
    return {
        "refunds": list(Refund.objects.order_by("pk").values_list("pk", "status")),
        "parts": RefundPart.objects.count(),
        "credit_notes": CreditNote.objects.count(),
        "counters": list(CreditNoteCounter.objects.values_list("year", "last")),
        "journals": Journal.objects.count(),
        "entries": Entry.objects.count(),
        "stock": list(Stock.objects.order_by("pk").values_list("pk", "on_hand", "reserved")),
        "movements": StockMovement.objects.count(),
    }


def build_refund_records(shop, *, name: str) -> dict:
    """For the permission matrix: a paid order on invoice with one refund made (its credit note),
    by a refunder of its own; ids by the matrix's names."""
    order = paid_order(shop, "BW-2026-0006", quantities=(1, 1), name=name)
    refund = refund_order(
        order,
        user=refunder("matrix-refunder"),
        key="matrix-refund",
        reason="Matrix",
        amount=Money(Decimal("5.00"), order.currency),
    )
    return {
        "refundorder": order.pk,
        "refund": refund.pk,
        "creditnote": refund.credit_note.pk,
        "creditnotenumber": refund.credit_note.number,
        "refundordertoken": order.access_token,
    }
