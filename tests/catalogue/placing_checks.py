"""Helpers of the place_order tests: a key, the whole state an order touches (to show that a
refusal changed nothing), and the payment method's after-commit calls, recorded."""

import secrets
import sys
import types

import pytest

from catalogue.models import Order, OrderCounter, OrderLine
from workshops.models import Reservation, Stock, StockMovement


def new_key() -> str:
    return secrets.token_urlsafe(24)


def shop_state() -> dict:
    return {
        "orders": sorted(Order.objects.values_list("number", "key", "total")),
        "lines": OrderLine.objects.count(),
        "counters": sorted(OrderCounter.objects.values_list("year", "last")),
        "stock": sorted(Stock.objects.values_list("sku__code", "on_hand", "reserved")),
        "reservations": sorted(Reservation.objects.values_list("key", "state")),
        "movements": StockMovement.objects.count(),
    }


@pytest.fixture
def after_placing(monkeypatch):
    """What the invoice method's ``placed`` called: ``catalogue.invoices.issuing.issue_invoice``
    and ``catalogue.orders.journals.post_invoice_journal`` are recorded instead of run (the
    lead's modules, written beside this branch: made up here where they do not exist yet)."""
    calls = []

    def issue_invoice(order):
        calls.append(("issue_invoice", order.number))
        return f"invoice of {order.number}"

    def post_invoice_journal(invoice):
        calls.append(("post_invoice_journal", invoice))

    for module_name, name, function in (
        ("catalogue.invoices.issuing", "issue_invoice", issue_invoice),
        ("catalogue.orders.journals", "post_invoice_journal", post_invoice_journal),
    ):
        try:
            module = __import__(module_name, fromlist=[name])
        except ImportError:
            module = types.ModuleType(module_name)
            monkeypatch.setitem(sys.modules, module_name, module)
        monkeypatch.setattr(module, name, function, raising=False)
    return calls
