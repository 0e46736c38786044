"""The quote request form (catalogue.quotes.views.request_form and requesting.request_quote):
rows of products with bulk quantities, the request stored once with its lines at list prices and
the buyer e-mailed; refusals shown beside their fields and in the summary, storing nothing; the
spam guard and the rate limit."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError

from catalogue.models import Quote, QuoteCounter, QuoteLine
from tests.catalogue.quote_builders import CONTACT, D, amounts, quote_shop_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

REQUEST = "/en/quotes/request/"


@pytest.fixture(autouse=True)
def no_earlier_requests():
    cache.clear()  # the rate limit's counts
    yield
    cache.clear()


def form_data(client, shop, **changes):
    client.get(REQUEST)
    data = {
        **CONTACT,
        "key": client.session["quote_request"],
        "product_1": shop.mug.pk,
        "quantity_1": "120",
        "product_2": shop.book.pk,
        "quantity_2": "5",
        "purchase_order_required": "on",
        "message": "Before the new term, please.",
        "website": "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def stored():
    return (
        Quote.objects.count(),
        QuoteLine.objects.count(),
        list(QuoteCounter.objects.values_list("last", flat=True)),
    )


def test_the_form_lists_the_variants_on_sale_in_labelled_rows(client, quote_shop):
    quote_shop.book.available = False
    quote_shop.book.save()

    page = client.get(REQUEST).content.decode()

    assert '<meta name="robots" content="noindex">' in page
    assert "Mug — blue (€12.00)" in page
    assert "Book (" not in page  # not on sale
    assert page.count('<select name="product_') == 6
    assert "<legend>Product 2</legend>" in page
    assert '<label for="id_quantity_2">Quantity</label>' in page
    assert 'autocomplete="organization"' in page


def test_a_request_is_stored_with_its_lines_at_list_prices_and_the_buyer_told(
    client, quote_shop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REQUEST, form_data(client, quote_shop))

    quote = Quote.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/en/quotes/{quote.access_token}/"
    assert (quote.number, quote.status, quote.organisation, quote.purchase_order_required) == (
        f"Q-{quote.requested_at.year}-000001",
        "requested",
        "Lycée Jean Moulin",
        True,
    )
    lines = list(quote.lines.order_by("pk"))
    assert [(line.description, line.quantity, line.tax_rate) for line in lines] == [
        ("Mug — blue", 120, D("20.00")),
        ("Book", 5, D("5.50")),
    ]
    # 120 × 12.00 = 1440.00 (tax 240.00); 5 × 8.50 = 42.50 (tax 42.50 × 5.5/105.5 = 2.22).
    assert [amounts(line, "list_price", "unit_price", "gross", "tax") for line in lines] == [
        (D("12.00"), D("12.00"), D("1440.00"), D("240.00")),
        (D("8.50"), D("8.50"), D("42.50"), D("2.22")),
    ]
    assert amounts(quote, "total", "tax_total") == (D("1482.50"), D("242.22"))
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    assert quote.number in mail.outbox[0].subject
    assert f"/en/quotes/{quote.access_token}/" in mail.outbox[0].body

    page = client.get(response["Location"]).content.decode()
    assert "we received your request" in page
    confirmation = client.get(response["Location"])
    assert "no-store" in confirmation["Cache-Control"]
    assert confirmation["X-Robots-Tag"] == "noindex, nofollow, noarchive"


def test_the_same_form_sent_twice_stores_one_request(client, quote_shop):
    data = form_data(client, quote_shop)

    first = client.post(REQUEST, data)
    second = client.post(REQUEST, data)

    assert first["Location"] == second["Location"]
    assert stored() == (1, 2, [1])


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"organisation": ""}, "id_organisation", "Organisation: This field is required."),
        ({"email": "ada"}, "id_email", "E-mail: Enter a valid email address."),
        ({"product_2": ""}, "id_product_2", "Product: Choose the product for this quantity."),
        ({"quantity_1": "0"}, "id_quantity_1", "Quantity: Ensure this value is greater than"),
        (
            {"product_1": "", "quantity_1": "", "product_2": "", "quantity_2": ""},
            "id_product_1",
            "Product: Choose at least one product and its quantity.",
        ),
    ],
)
def test_a_refused_request_says_why_beside_the_field_and_stores_nothing(
    client, quote_shop, changes, field, message
):
    response = client.post(REQUEST, form_data(client, quote_shop, **changes))

    page = response.content.decode()
    assert response.status_code == 400
    assert "Your request was not sent" in page
    assert f'<a href="#{field}">{message}' in page
    assert 'aria-invalid="true"' in page
    assert stored() == (0, 0, [])
    assert mail.outbox == []


def test_a_product_no_longer_on_sale_is_refused_in_words(client, quote_shop):
    data = form_data(client, quote_shop)
    quote_shop.book.available = False
    quote_shop.book.save()

    response = client.post(REQUEST, data)

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert stored() == (0, 0, [])


def test_the_spam_guard_refuses_a_filled_hidden_field(client, quote_shop):
    response = client.post(REQUEST, form_data(client, quote_shop, website="http://spam.example"))

    assert response.status_code == 400
    assert "This request looks automated and was not sent." in response.content.decode()
    assert stored() == (0, 0, [])


def test_a_form_with_another_key_stores_nothing(client, quote_shop):
    response = client.post(REQUEST, form_data(client, quote_shop, key="x" * 32))

    assert response.status_code == 400
    assert "This form is out of date" in response.content.decode()
    assert stored() == (0, 0, [])


def test_requests_are_rate_limited_per_address(client, quote_shop, settings):
    settings.QUOTE_REQUEST_RATE = "2/h"
    for _attempt in range(2):
        client.post(REQUEST, form_data(client, quote_shop, organisation=""))

    response = client.post(REQUEST, form_data(client, quote_shop))

    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert stored() == (0, 0, [])


def test_the_cart_links_to_the_form(client, quote_shop):
    page = client.get("/en/cart/").content.decode()

    assert f'href="{REQUEST}">Ask for a quote</a>' in page


def test_the_operation_checks_the_contact_whatever_the_form_checked(quote_shop):
    from catalogue.quotes.requesting import request_quote

    with pytest.raises(ValidationError, match="Town or city is longer than 100 characters"):
        request_quote(
            key="k" * 24,
            contact={**CONTACT, "city": "x" * 101},
            lines=[(quote_shop.mug, 200)],
            purchase_order_required=False,
            message="",
            language="en",
        )

    assert stored() == (0, 0, [])
