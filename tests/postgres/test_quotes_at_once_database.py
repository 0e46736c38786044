"""Buyers answering quotes at the same moment, on real PostgreSQL connections (``accept_quote``):
a quote accepted five times at once (a double click, two tabs) makes one order and one
reservation; two quotes for more mugs than there are, accepted at once, make one order, and the
other is refused in words and stays quoted."""

from functools import partial

import pytest
from django.core.exceptions import ValidationError

from brand.demo.seed import ensure_wagtail_roots
from catalogue.models import Order, Quote
from catalogue.quotes.accepting import accept_quote
from core.testing.database import race
from tests.catalogue.order_builders import staff
from tests.catalogue.placing_checks import after_placing  # noqa: F401
from tests.catalogue.quote_builders import ANSWER, build_quote_shop, sent_quote
from tests.postgres.inventory_checks import at_once, moved, stock_of
from workshops.models import Reservation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


@at_once
def test_a_quote_accepted_five_times_at_once_makes_one_order(after_placing):  # noqa: F811
    shop = build_quote_shop()
    quote = sent_quote(shop, staff("packer", *ANSWER), purchase_order_required=True)

    outcomes = race(*(partial(accept_quote, quote, purchase_order="PO-1") for _click in range(5)))

    assert all(isinstance(outcome, Order) for outcome in outcomes)
    order = Order.objects.get()
    assert {outcome.pk for outcome in outcomes} == {order.pk}
    assert (Quote.objects.get().status, Quote.objects.get().order_id) == ("accepted", order.pk)
    assert Reservation.objects.count() == 1
    # 150 mugs on hand, 120 of them reserved once.
    assert stock_of(shop.mug.sku) == moved(shop.mug.sku) == (150, 120)
    assert after_placing == [
        ("issue_invoice", order.number),
        ("post_invoice_journal", f"invoice of {order.number}"),
    ]


@at_once
def test_two_quotes_for_more_than_the_stock_make_one_order(after_placing):  # noqa: F811
    shop = build_quote_shop()
    packer = staff("packer", *ANSWER)
    first, second = (sent_quote(shop, packer, lines=[(shop.mug, 100)]) for _quote in range(2))

    outcomes = race(partial(accept_quote, first), partial(accept_quote, second))

    placed = [outcome for outcome in outcomes if isinstance(outcome, Order)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert (len(placed), len(refused)) == (1, 1)
    assert refused[0].messages[1] == "Mug — blue: 100 quoted, 50 in stock now."
    assert sorted(Quote.objects.values_list("status", flat=True)) == ["accepted", "quoted"]
    assert stock_of(shop.mug.sku) == moved(shop.mug.sku) == (150, 100)
    assert Reservation.objects.count() == 1
