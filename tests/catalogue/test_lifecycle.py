"""An order's lifecycle (``catalogue.orders.lifecycle``): each step by its operation, with its
permission, its refusal of a wrong step in words (nothing changed), its stock movement, journal
and e-mail."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from catalogue.models import Invoice, Order
from catalogue.orders import lifecycle
from tests.catalogue.order_builders import build_order, build_shop, staff
from wages.models import Journal
from workshops.models import Stock

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]
Status = Order.Status


@pytest.fixture
def shop():
    return build_shop()


@pytest.fixture
def finance():
    return staff("finance", "catalogue.mark_order_paid")


@pytest.fixture
def packer():
    return staff("packer", "catalogue.fulfil_order", "catalogue.cancel_order")


def stock() -> list[tuple[str, int, int]]:
    return list(Stock.objects.order_by("sku__code").values_list("sku__code", "on_hand", "reserved"))


def snapshot(order) -> tuple:
    order.refresh_from_db()
    return (
        order.status,
        order.paid_at,
        order.packed_at,
        order.shipped_at,
        order.cancelled_at,
        stock(),
        Journal.objects.count(),
        Invoice.objects.count(),
        ModelLogEntry.objects.count(),
        len(mail.outbox),
    )


def test_an_order_on_invoice_is_paid_packed_shipped_and_delivered(
    shop, finance, packer, django_capture_on_commit_callbacks
):
    order = build_order(shop, language="fr")
    assert stock() == [("APRON", 10, 1), ("BREAD", 10, 2)]
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.mark_paid(order, user=finance, on=today)
    order.refresh_from_db()
    assert order.status == Status.PAID and order.paid_at is not None
    assert stock() == [("APRON", 9, 0), ("BREAD", 8, 0)]  # sold
    assert sorted(Journal.objects.values_list("key", flat=True)) == [
        f"invoice:{today.year}-000001",
        "payment:BW-2026-0001",
    ]
    assert [m.subject for m in mail.outbox] == ["Paiement reçu pour la commande BW-2026-0001"]

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.pack(order, user=packer)
        lifecycle.ship(order, user=packer, carrier=" La Poste ", tracking_number="6A123")
        lifecycle.deliver(order, user=packer)
    order.refresh_from_db()
    assert (order.status, order.carrier, order.tracking_number) == (
        Status.DELIVERED,
        "La Poste",
        "6A123",
    )
    assert mail.outbox[-1].subject == "La commande BW-2026-0001 est en route"
    assert "6A123" in mail.outbox[-1].body
    assert list(
        ModelLogEntry.objects.filter(object_id=str(order.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "bridgework.order_paid",
        "bridgework.order_packed",
        "bridgework.order_shipped",
        "bridgework.order_delivered",
    ]


def test_marking_paid_twice_changes_nothing_the_second_time(shop, finance):
    order = build_order(shop)
    lifecycle.mark_paid(order, user=finance)
    before = snapshot(order)
    lifecycle.mark_paid(order, user=finance)
    assert snapshot(order) == before


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("pack", "Order BW-2026-0001 is awaiting payment: it cannot be packed."),
        ("ship", "Order BW-2026-0001 is awaiting payment: it cannot be shipped."),
        ("deliver", "Order BW-2026-0001 is awaiting payment: it cannot be marked delivered."),
    ],
)
def test_an_unpaid_order_is_not_packed_shipped_or_delivered(shop, packer, step, message):
    order = build_order(shop)
    before = snapshot(order)
    with pytest.raises(ValidationError) as refused:
        getattr(lifecycle, step)(
            order, user=packer, **({"carrier": "Post"} if step == "ship" else {})
        )
    assert refused.value.messages == [message]
    assert snapshot(order) == before


def test_shipping_needs_a_carrier_unless_collected(shop, finance, packer):
    order = build_order(shop)
    lifecycle.mark_paid(order, user=finance)
    lifecycle.pack(order, user=packer)
    before = snapshot(order)
    with pytest.raises(ValidationError) as refused:
        lifecycle.ship(order, user=packer, carrier="  ")
    assert refused.value.messages == ["Name the carrier that takes the parcel."]
    assert snapshot(order) == before


def test_a_payment_dated_in_the_future_or_before_the_order_is_refused(shop, finance):
    order = build_order(shop)
    before = snapshot(order)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match=r"A payment cannot arrive in the future\."):
        lifecycle.mark_paid(order, user=finance, on=tomorrow)
    with pytest.raises(ValidationError, match="it cannot have been paid before"):
        lifecycle.mark_paid(order, user=finance, on=datetime.date(2020, 1, 1))
    assert snapshot(order) == before


@pytest.mark.parametrize(
    ("operation", "kwargs"),
    [
        ("mark_paid", {}),
        ("pack", {}),
        ("ship", {"carrier": "Post"}),
        ("deliver", {}),
        ("cancel", {"reason": "asked"}),
    ],
)
def test_each_step_needs_its_permission(shop, operation, kwargs):
    order = build_order(shop)
    nobody = staff("nobody")
    before = snapshot(order)
    with pytest.raises(PermissionDenied, match=r"You may not do this to orders\."):
        getattr(lifecycle, operation)(order, user=nobody, **kwargs)
    assert snapshot(order) == before


def test_cancelling_an_unpaid_order_gives_its_stock_back(shop, packer):
    order = build_order(shop)
    lifecycle.cancel(order, user=packer, reason="The buyer asked.")
    order.refresh_from_db()
    assert (order.status, order.cancel_reason) == (Status.CANCELLED, "The buyer asked.")
    assert stock() == [("APRON", 10, 0), ("BREAD", 10, 0)]


def test_a_paid_order_is_not_cancelled_and_a_reason_is_required(shop, finance, packer):
    order = build_order(shop)
    with pytest.raises(ValidationError, match=r"Say why the order is cancelled\."):
        lifecycle.cancel(order, user=packer, reason=" ")
    lifecycle.mark_paid(order, user=finance)
    before = snapshot(order)
    with pytest.raises(ValidationError) as refused:
        lifecycle.cancel(order, user=packer, reason="too late")
    assert refused.value.messages == ["Order BW-2026-0001 is paid: it cannot be cancelled."]
    assert snapshot(order) == before


def test_unpaid_orders_whose_hold_expired_are_cancelled_and_their_stock_freed(shop):
    kept = build_order(shop, "BW-2026-0001", quantities=(1, 1))
    lapsed = build_order(shop, "BW-2026-0002", quantities=(1, 1), hold=datetime.timedelta(days=1))
    later = timezone.now() + datetime.timedelta(days=2)
    assert lifecycle.expire_unpaid_orders(now=later) == 1
    assert Order.objects.get(pk=lapsed.pk).status == Status.CANCELLED
    assert Order.objects.get(pk=kept.pk).status == Status.AWAITING_PAYMENT
    assert stock() == [("APRON", 10, 1), ("BREAD", 10, 1)]
    assert lifecycle.expire_unpaid_orders(now=later) == 0


def test_an_expired_reservation_still_sells_at_payment_while_its_units_are_there(shop, finance):
    order = build_order(shop, hold=datetime.timedelta(seconds=1))
    order.reservation.__class__.objects.filter(pk=order.reservation_id).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    lifecycle.mark_paid(order, user=finance)
    assert stock() == [("APRON", 9, 0), ("BREAD", 8, 0)]


def test_a_card_payment_invoices_the_order_and_pays_it_once(shop):
    order = build_order(shop, method="card")
    lifecycle.pay_order(order, method="card")
    lifecycle.pay_order(order, method="card")
    order.refresh_from_db()
    assert order.status == Status.PAID
    assert Invoice.objects.filter(order=order).count() == 1
    assert Journal.objects.count() == 2
