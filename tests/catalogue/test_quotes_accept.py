"""The buyer's answer (catalogue.quotes.accepting) and expiry: accepting writes one order on
invoice at the quoted prices with the purchase-order number, reserves the stock for the invoice's
hold and issues the invoice after the commit; refused in words, changing nothing, after the
valid-until day, without a required purchase order, or short of stock; declining; expire_quotes.
Figures: tests/catalogue/quote_builders.py."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from catalogue.models import Invoice, Order, Quote, ShopSettings
from catalogue.quotes.accepting import accept_quote, decline_quote
from catalogue.quotes.expiry import expire_quotes
from tests.catalogue.quote_builders import (  # noqa: F401
    D,
    amounts,
    ask,
    fulfilment_fixture,
    quote_shop_fixture,
    quote_state,
    sent_quote,
)
from workshops.models import Stock

pytestmark = pytest.mark.django_db


def past_its_day(quote) -> Quote:
    Quote.objects.filter(pk=quote.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    return Quote.objects.get(pk=quote.pk)


def stock(shop):
    return {
        code: (on_hand, reserved)
        for code, on_hand, reserved in Stock.objects.values_list("sku__code", "on_hand", "reserved")
    }


def test_accepting_places_an_order_on_invoice_at_the_quoted_prices(
    quote_shop, fulfilment, django_capture_on_commit_callbacks
):
    quote = sent_quote(quote_shop, fulfilment, purchase_order_required=True)
    mail.outbox.clear()
    mug_sku, book_sku = quote_shop.mug.sku.code, quote_shop.book.sku.code

    with django_capture_on_commit_callbacks(execute=True):
        order = accept_quote(quote, purchase_order="PO-7781")

    quote.refresh_from_db()
    assert (quote.status, quote.order, quote.accepted_at is not None) == ("accepted", order, True)
    assert (order.payment_method, order.purchase_order, order.status) == (
        "invoice",
        "PO-7781",
        "awaiting_payment",
    )
    assert (order.organisation, order.email, order.key) == (
        "Lycée Jean Moulin",
        "ada@example.org",
        f"quote-{quote.number}",
    )
    lines = list(order.lines.order_by("pk"))
    assert [(line.description, line.quantity) for line in lines] == [
        ("Mug — blue", 120),
        ("Book", 5),
    ]
    assert [amounts(line, "unit_price", "net", "tax", "gross") for line in lines] == [
        (D("10.00"), D("1000.00"), D("200.00"), D("1200.00")),
        (D("8.00"), D("37.91"), D("2.09"), D("40.00")),
    ]
    assert (order.shipping_name, order.shipping_tax_rate) == ("Pallet", D("20.00"))
    assert amounts(order, "shipping_price", "shipping_tax") == (D("90.00"), D("15.00"))
    assert amounts(order, "net_total", "tax_total", "total") == (
        D("1112.91"),
        D("217.09"),
        D("1330.00"),
    )
    # 150 mugs and 5 books on hand: 120 and 5 reserved, until the invoice's hold ends.
    assert stock(quote_shop)[mug_sku] == (150, 120)
    assert stock(quote_shop)[book_sku] == (5, 5)
    hold = ShopSettings.load().invoice_hold_days
    expires = order.reservation.expires_at - order.placed_at
    assert abs(expires - datetime.timedelta(days=hold)) < datetime.timedelta(minutes=1)
    invoice = Invoice.objects.get(order=order)
    assert invoice.number.endswith("-000001")
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    assert order.number in mail.outbox[0].subject


def test_accepting_twice_makes_one_order(quote_shop, fulfilment):
    quote = sent_quote(quote_shop, fulfilment)
    first = accept_quote(quote)
    before = quote_state()

    second = accept_quote(Quote.objects.get(pk=quote.pk))

    assert second == first
    assert quote_state() == before
    assert Order.objects.count() == 1


def test_accepting_after_the_valid_until_day_is_refused_and_changes_nothing(quote_shop, fulfilment):
    quote = past_its_day(sent_quote(quote_shop, fulfilment))
    before = quote_state()

    with pytest.raises(ValidationError) as refused:
        accept_quote(quote)

    assert (
        refused.value.messages
        == [
            f"This quote was valid until {quote.valid_until:%B} {quote.valid_until.day}, "
            f"{quote.valid_until.year} and can no longer be accepted. Ask us for a new quote: the "
            "form is linked from the shop."
        ]
        or "can no longer be accepted" in refused.value.messages[0]
    )
    assert quote_state() == before
    assert quote.shown_status() == "expired"


def test_a_required_purchase_order_must_be_given(quote_shop, fulfilment):
    quote = sent_quote(quote_shop, fulfilment, purchase_order_required=True)
    before = quote_state()

    with pytest.raises(ValidationError, match="Enter your purchase-order number"):
        accept_quote(quote, purchase_order="  ")

    assert quote_state() == before


def test_not_enough_stock_is_refused_in_words_and_the_quote_stays_quoted(quote_shop, fulfilment):
    quote = sent_quote(quote_shop, fulfilment, lines=[(quote_shop.mug, 160)])
    before = quote_state()

    with pytest.raises(ValidationError) as refused:
        accept_quote(quote)

    assert refused.value.messages == [
        "We do not have enough stock to fill this quote today, so it was not accepted. Contact "
        "us to agree a later delivery; the quote stays open until its date.",
        "Mug — blue: 160 quoted, 150 in stock now.",
    ]
    assert quote_state() == before
    assert Quote.objects.get().status == "quoted"


def test_declining_ends_the_quote_and_changes_nothing_else(quote_shop, fulfilment):
    quote = sent_quote(quote_shop, fulfilment)
    stock_before = stock(quote_shop)

    declined = decline_quote(quote)

    assert (declined.status, declined.declined_at is not None) == ("declined", True)
    assert decline_quote(declined).declined_at == declined.declined_at  # twice: once
    before = quote_state()
    with pytest.raises(ValidationError, match="is declined: it cannot be accepted"):
        accept_quote(declined)
    assert quote_state() == before
    assert stock(quote_shop) == stock_before
    assert Order.objects.count() == 0


def test_a_request_not_yet_quoted_cannot_be_accepted(quote_shop, fulfilment):
    quote = ask(quote_shop)
    before = quote_state()

    with pytest.raises(ValidationError, match="is requested: it cannot be accepted"):
        accept_quote(quote)

    assert quote_state() == before


def test_expire_quotes_writes_down_the_quotes_past_their_day(quote_shop, fulfilment):
    late = past_its_day(sent_quote(quote_shop, fulfilment))
    current = sent_quote(quote_shop, fulfilment)
    out = StringIO()

    call_command("expire_quotes", stdout=out)

    assert out.getvalue() == "1 quote(s) expired.\n"
    assert dict(Quote.objects.values_list("pk", "status")) == {
        late.pk: "expired",
        current.pk: "quoted",
    }
    assert expire_quotes() == 0


def test_the_buyer_accepts_on_the_quote_page(
    client, quote_shop, fulfilment, django_capture_on_commit_callbacks
):
    quote = sent_quote(quote_shop, fulfilment, purchase_order_required=True)
    page_url = f"/en/quotes/{quote.access_token}/"
    page = client.get(page_url)
    assert "no-store" in page["Cache-Control"]
    assert "Accept the quote" in page.content.decode()

    refused = client.post(f"{page_url}accept/", {"purchase_order": ""})
    assert refused.status_code == 400
    assert "Your purchase-order number: This field is required." in refused.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{page_url}accept/", {"purchase_order": "PO-1"})
        again = client.post(f"{page_url}accept/", {"purchase_order": "PO-1"})

    order = Order.objects.get()
    assert (response.status_code, response["Location"]) == (303, page_url)
    assert again.status_code == 303
    page = client.get(page_url).content.decode()
    assert f"it is your order {order.number}" in page
    assert f"/en/orders/{order.access_token}/" in page


def test_the_page_refuses_an_expired_quote_in_words(client, quote_shop, fulfilment):
    quote = past_its_day(sent_quote(quote_shop, fulfilment))
    page_url = f"/en/quotes/{quote.access_token}/"
    before = quote_state()

    page = client.get(page_url).content.decode()
    response = client.post(f"{page_url}accept/", {"purchase_order": ""})

    assert "has expired" in page and "Accept the quote" not in page
    assert response.status_code == 400
    assert "can no longer be accepted" in response.content.decode()
    assert quote_state() == before


def test_the_buyer_declines_on_the_quote_page(client, quote_shop, fulfilment):
    quote = sent_quote(quote_shop, fulfilment)

    response = client.post(f"/en/quotes/{quote.access_token}/decline/")

    assert response.status_code == 303
    assert Quote.objects.get().status == "declined"
    assert "You declined this quote." in client.get(response["Location"]).content.decode()
