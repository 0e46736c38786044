"""place_order (catalogue.checkout.placing): the order, its lines and totals with tax per line,
the reservation, the number and payment reference; after the commit, the payment method's work."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from catalogue.checkout.numbers import is_valid_creditor_reference
from catalogue.checkout.placing import place_order
from catalogue.models import Order, ShopSettings
from tests.catalogue.checkout_fixtures import CONTACT, eur
from tests.catalogue.placing_checks import new_key, shop_state
from workshops.models import Reservation, Stock

pytestmark = pytest.mark.django_db


def place(shop, lines=None, **changes):
    arguments = {
        "key": new_key(),
        "lines": lines if lines is not None else [(shop.mug, 3), (shop.book, 1)],
        "contact": CONTACT,
        "shipping_rate": shop.standard_2kg,
        "payment_method": "invoice",
        "language": "en",
        **changes,
    }
    return place_order(**arguments)


def amounts(row, *names):
    return tuple(getattr(row, name).amount for name in names)


def test_an_order_with_prices_including_tax_is_taxed_per_line(shop):
    order = place(shop)

    lines = list(order.lines.order_by("pk"))
    # Mug: 3 × 12.00 = 36.00, of which 20 % tax 6.00. Book: 8.50, of which 5.5 % tax 0.44.
    assert [(line.description, line.quantity, line.tax_rate) for line in lines] == [
        ("Mug — blue", 3, Decimal("20.00")),
        ("Book", 1, Decimal("5.50")),
    ]
    assert [amounts(line, "unit_price", "net", "tax", "gross") for line in lines] == [
        (Decimal("12.00"), Decimal("30.00"), Decimal("6.00"), Decimal("36.00")),
        (Decimal("8.50"), Decimal("8.06"), Decimal("0.44"), Decimal("8.50")),
    ]
    # Shipping 5.90 with 20 %: tax 0.98, net 4.92 (1.5 kg: the 2 kg bracket).
    assert (order.shipping_name, order.shipping_tax_rate) == ("Standard", Decimal("20.00"))
    assert amounts(order, "shipping_price", "shipping_tax") == (Decimal("5.90"), Decimal("0.98"))
    # Net 30.00 + 8.06 + 4.92 = 42.98; tax 6.00 + 0.44 + 0.98 = 7.42; total 50.40.
    assert amounts(order, "net_total", "tax_total", "total") == (
        Decimal("42.98"),
        Decimal("7.42"),
        Decimal("50.40"),
    )
    assert (order.prices_include_tax, order.currency) == (True, "EUR")
    assert lines[0].workshop == shop.world.workshop


def test_an_order_with_prices_without_tax_adds_it_per_line(shop):
    settings = ShopSettings.load()
    settings.prices_include_tax = False
    settings.save()

    order = place(shop)

    # Mug 36.00 + 7.20; book 8.50 + 0.4675 → 0.47; shipping 5.90 + 1.18.
    assert [amounts(line, "net", "tax", "gross") for line in order.lines.order_by("pk")] == [
        (Decimal("36.00"), Decimal("7.20"), Decimal("43.20")),
        (Decimal("8.50"), Decimal("0.47"), Decimal("8.97")),
    ]
    assert amounts(order, "net_total", "tax_total", "total") == (
        Decimal("50.40"),
        Decimal("8.85"),
        Decimal("59.25"),
    )
    assert order.prices_include_tax is False
    assert amounts(order, "shipping_price", "shipping_tax") == (Decimal("7.08"), Decimal("1.18"))
    assert order.shipping_net == eur("5.90")


def test_the_order_reserves_its_stock_until_the_invoice_hold_ends(shop):
    before = timezone.now()
    order = place(shop)

    reservation = order.reservation
    assert (reservation.key, reservation.state) == (f"order:{order.key}", "active")
    held = reservation.expires_at - before
    # the shop's default: 30 days to pay + 14 to the last reminder + 1
    assert datetime.timedelta(days=45) <= held < datetime.timedelta(days=45, minutes=1)
    assert sorted(Stock.objects.values_list("sku__code", "on_hand", "reserved")) == [
        ("SKU-A", 10, 3),
        ("SKU-B", 5, 1),
    ]


def test_orders_are_numbered_per_year_with_a_checked_payment_reference(shop):
    first, second = place(shop, [(shop.mug, 1)]), place(shop, [(shop.mug, 1)])
    year = timezone.localdate().year
    assert (first.number, second.number) == (f"BW-{year}-000001", f"BW-{year}-000002")
    assert first.payment_reference.startswith("RF")
    assert first.payment_reference.endswith(f"BW{year}000001")
    assert is_valid_creditor_reference(first.payment_reference)
    assert not is_valid_creditor_reference(first.payment_reference[:-1] + "9")


def test_the_same_key_places_one_order(shop):
    key = new_key()
    first = place(shop, key=key)
    state = shop_state()

    again = place(shop, key=key, lines=[(shop.mug, 1)])

    assert again == first
    assert shop_state() == state


def test_after_the_commit_the_invoice_is_issued_its_journal_posted_and_the_buyer_told(
    shop, after_placing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(shop, language="fr")
        assert after_placing == []  # nothing outside the transaction runs before the commit

    assert after_placing == [
        ("issue_invoice", order.number),
        ("post_invoice_journal", f"invoice of {order.number}"),
    ]
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["ada@example.org"], f"Votre commande {order.number}")  # in the order's language
    ]
    assert order.payment_reference in mail.outbox[0].body


def test_collection_needs_no_address(shop):
    order = place(
        shop,
        shipping_rate=shop.collection,
        contact={**CONTACT, "address": "", "city": "", "postcode": ""},
    )
    assert (order.shipping_name, order.shipping_price, order.address) == (
        "Collect in Lyon",
        eur("0"),
        "",
    )
    assert amounts(order, "total") == (Decimal("44.50"),)


def test_a_heavier_order_takes_the_heavier_bracket(shop):
    order = place(shop, [(shop.mug, 6)], shipping_rate=shop.standard_10kg)  # 2.4 kg
    assert order.shipping_price == eur("12.50")
    assert Order.objects.count() == 1
    assert Reservation.objects.count() == 1
