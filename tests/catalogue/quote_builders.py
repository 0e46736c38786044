"""The quote tests' shop and steps (``catalogue.quotes``): the checkout's shop
(``checkout_fixtures``: a mug at 12.00, 20 %, 400 g and a book at 8.50, 5.5 %, 300 g), with 150
mugs and 5 books in stock and a pallet rate to Europe (up to 100 kg, 90.00, taxed 20 %).

The quote every test answers: 120 mugs at 10.00 (list 12.00) and 5 books at 8.00 (list 8.50),
by pallet, prices including tax:

    mugs   120 × 10.00 = 1200.00; tax 1200.00 × 20/120 = 200.00;         net 1000.00
    books    5 ×  8.00 =   40.00; tax 40.00 × 5.5/105.5 = 2.0853 → 2.09; net   37.91
    pallet                 90.00; tax 90.00 × 20/120 = 15.00;            net   75.00
    total 1330.00; tax 217.09; net 1112.91
"""

import datetime
import secrets
from decimal import Decimal

import pytest
from django.utils import timezone

from catalogue.models import Invoice, Order, OrderLine, Quote, QuoteLine, ShippingRate
from catalogue.quotes.answering import price_quote, send_quote
from catalogue.quotes.requesting import request_quote
from tests.catalogue.checkout_fixtures import build_shop, eur
from tests.catalogue.order_builders import staff
from tests.postgres.inventory_checks import stocked
from workshops.models import Reservation, Stock, StockMovement

CONTACT = {
    "organisation": "Lycée Jean Moulin",
    "name": "Ada Lovelace",
    "email": "ada@example.org",
    "phone": "",
    "address": "1 rue du Four",
    "address_more": "",
    "postcode": "69001",
    "city": "Lyon",
    "country": "FR",
}
ANSWER = ("catalogue.answer_quote", "catalogue.view_quote")


def build_quote_shop():
    shop = build_shop()
    stocked(shop.world, shop.mug.sku, 140, made_on=1)
    shop.pallet = ShippingRate.objects.create(
        zone=shop.europe,
        name="Pallet",
        max_weight_grams=100_000,
        price=eur("90.00"),
        tax_class=shop.standard,
    )
    return shop


@pytest.fixture(name="quote_shop")
def quote_shop_fixture(db):
    return build_quote_shop()


@pytest.fixture(name="fulfilment")
def fulfilment_fixture(db):
    return staff("fulfilment-ana", *ANSWER)


def ask(shop, *, lines=None, purchase_order_required=False, language="en", **contact) -> Quote:
    return request_quote(
        key=secrets.token_urlsafe(24),
        contact={**CONTACT, **contact},
        lines=lines if lines is not None else [(shop.mug, 120), (shop.book, 5)],
        purchase_order_required=purchase_order_required,
        message="Delivery before the new term, please.",
        language=language,
    )


def price(shop, quote, user, *, valid_until=None) -> Quote:
    quoted = {shop.mug.sku_id: eur("10.00"), shop.book.sku_id: eur("8.00")}
    return price_quote(
        quote,
        user=user,
        unit_prices={line.pk: quoted[line.sku_id] for line in quote.lines.all()},
        shipping_rate=shop.pallet,
        valid_until=valid_until or timezone.localdate() + datetime.timedelta(days=30),
    )


def sent_quote(shop, user, **asked) -> Quote:
    quote = ask(shop, **asked)
    price(shop, quote, user)
    return send_quote(quote, user=user)


def amounts(row, *names):
    return tuple(getattr(row, name).amount for name in names)


def quote_state() -> dict:
    """Everything accepting a quote touches: to show a refusal changed nothing."""
    return {
        "quotes": sorted(
            Quote.objects.values_list("number", "status", "order_id", "accepted_at", "declined_at")
        ),
        "quote_lines": sorted(QuoteLine.objects.values_list("pk", "unit_price", "gross")),
        "orders": Order.objects.count(),
        "order_lines": OrderLine.objects.count(),
        "invoices": Invoice.objects.count(),
        "stock": sorted(Stock.objects.values_list("sku__code", "on_hand", "reserved")),
        "reservations": Reservation.objects.count(),
        "movements": StockMovement.objects.count(),
    }


D = Decimal
