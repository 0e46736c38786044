"""Staff's answer to a quote (catalogue.quotes.answering and its back-office screens): prices per
line, shipping and valid-until day with exact figures; sending it (its PDF printed once in the
buyer's language, the same bytes on every download; the buyer e-mailed its link); withdrawing;
every refusal changing nothing. Figures: tests/catalogue/quote_builders.py."""

import datetime
import hashlib
import subprocess

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from catalogue.models import Quote
from catalogue.quotes.answering import price_quote, send_quote, withdraw_quote
from catalogue.quotes.documents import quote_pdf
from core.testing.tools import require_executable
from core.testing.twofactor import login_with_second_factor
from tests.catalogue.order_builders import staff
from tests.catalogue.quote_builders import (  # noqa: F401
    ANSWER,
    D,
    amounts,
    ask,
    eur,
    fulfilment_fixture,
    price,
    quote_shop_fixture,
    quote_state,
    sent_quote,
)

pytestmark = pytest.mark.django_db

QUOTES = "/admin/catalogue/quote/"


def test_staff_price_each_line_the_shipping_and_the_day_it_holds(quote_shop, fulfilment):
    quote = ask(quote_shop)

    quote = price(quote_shop, quote, fulfilment, valid_until=datetime.date(2099, 1, 31))

    lines = list(quote.lines.order_by("pk"))
    assert [amounts(line, "list_price", "unit_price", "net", "tax", "gross") for line in lines] == [
        (D("12.00"), D("10.00"), D("1000.00"), D("200.00"), D("1200.00")),
        (D("8.50"), D("8.00"), D("37.91"), D("2.09"), D("40.00")),
    ]
    assert (quote.shipping_name, quote.shipping_tax_rate) == ("Pallet", D("20.00"))
    assert amounts(quote, "shipping_price", "shipping_tax") == (D("90.00"), D("15.00"))
    assert amounts(quote, "net_total", "tax_total", "total") == (
        D("1112.91"),
        D("217.09"),
        D("1330.00"),
    )
    assert (quote.status, quote.valid_until) == ("requested", datetime.date(2099, 1, 31))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"valid_until": datetime.date(2020, 1, 1)}, "Choose a valid-until day from today"),
        ({"shipping_rate": "standard_2kg"}, "is not offered for this order to France"),
        ({"unit_prices": "negative"}, "A unit price cannot be negative."),
    ],
)
def test_a_wrong_answer_is_refused_in_words_and_changes_nothing(
    quote_shop, fulfilment, change, message
):
    quote = ask(quote_shop)
    mug, _book = quote.lines.order_by("pk")
    arguments = {
        "user": fulfilment,
        "unit_prices": {mug.pk: eur("10.00")},
        "shipping_rate": quote_shop.pallet,
        "valid_until": timezone.localdate() + datetime.timedelta(days=30),
    }
    if "shipping_rate" in change:
        arguments["shipping_rate"] = getattr(quote_shop, change["shipping_rate"])
    elif "unit_prices" in change:
        arguments["unit_prices"] = {mug.pk: eur("-1.00")}
    else:
        arguments.update(change)
    before = quote_state()

    with pytest.raises(ValidationError) as refused:
        price_quote(quote, **arguments)

    assert message in " ".join(refused.value.messages)
    assert quote_state() == before


def test_only_staff_who_answer_quotes_may_price_send_or_withdraw(quote_shop, fulfilment):
    quote = ask(quote_shop)
    price(quote_shop, quote, fulfilment)
    reader = staff("auditor-quotes", "catalogue.view_quote")
    before = quote_state()

    with pytest.raises(PermissionDenied):
        price(quote_shop, quote, reader)
    with pytest.raises(PermissionDenied):
        send_quote(quote, user=reader)
    with pytest.raises(PermissionDenied):
        withdraw_quote(quote, user=reader, reason="No stock")

    assert quote_state() == before


def test_a_request_is_not_sent_before_it_is_priced(quote_shop, fulfilment):
    quote = ask(quote_shop)
    before = quote_state()

    with pytest.raises(ValidationError, match="Set the prices, the shipping"):
        send_quote(quote, user=fulfilment)

    assert quote_state() == before


def test_sending_prints_the_pdf_in_the_buyers_language_and_emails_its_link(
    quote_shop, fulfilment, django_capture_on_commit_callbacks, client
):
    require_executable("pdftotext")
    quote = ask(quote_shop, language="fr")
    price(quote_shop, quote, fulfilment, valid_until=datetime.date(2099, 1, 31))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        quote = send_quote(quote, user=fulfilment)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_quote(quote, user=fulfilment).quoted_at == quote.quoted_at  # once

    quote.refresh_from_db()
    assert quote.status == "quoted"
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    assert f"/fr/quotes/{quote.access_token}/" in mail.outbox[0].body
    stored = quote.document
    content = stored.file.open("rb").read()
    assert (stored.purpose, hashlib.sha256(content).hexdigest()) == ("quote", stored.sha256)
    assert quote_pdf(quote).pk == stored.pk
    text = subprocess.run(
        ["pdftotext", "-layout", stored.file.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"Devis {quote.number}" in text or f"Quote {quote.number}" in text
    assert "Lycée Jean Moulin" in text
    assert "1 330,00" in text.replace("\u202f", " ").replace("\xa0", " ")
    assert "217,09" in text and "10,00" in text
    downloads = [client.get(f"/fr/quotes/{quote.access_token}/quote.pdf") for _ in range(2)]
    assert [b"".join(d.streaming_content) for d in downloads] == [content, content]


def test_withdrawing_says_why_and_ends_the_quote(quote_shop, fulfilment):
    quote = sent_quote(quote_shop, fulfilment)

    quote = withdraw_quote(quote, user=fulfilment, reason="The product is discontinued")

    assert (quote.status, quote.withdraw_reason) == ("withdrawn", "The product is discontinued")
    assert quote.withdrawn_at is not None
    before = quote_state()
    with pytest.raises(ValidationError, match="is withdrawn: it cannot be sent"):
        send_quote(quote, user=fulfilment)
    assert quote_state() == before


def test_the_back_office_answers_and_sends_a_quote(
    quote_shop, client, django_capture_on_commit_callbacks
):
    user = staff("packer-q", "wagtailadmin.access_admin", *ANSWER)
    login_with_second_factor(client, user)
    quote = ask(quote_shop)
    mug, book = quote.lines.order_by("pk")
    page = client.get(f"{QUOTES}inspect/{quote.pk}/").content.decode()
    assert "Save and send the quote" in page and "Lycée Jean Moulin" in page
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{QUOTES}{quote.pk}/answer/",
            {
                f"answer-price_{mug.pk}": "10.00",
                f"answer-price_{book.pk}": "8.00",
                "answer-shipping_rate": quote_shop.pallet.pk,
                "answer-valid_until": "2099-01-31",
                "send": "1",
            },
        )

    assert response.status_code == 302
    quote = Quote.objects.get()
    assert (quote.status, quote.total.amount) == ("quoted", D("1330.00"))
    assert len(mail.outbox) == 1
    assert client.get(f"{QUOTES}{quote.pk}/pdf/").status_code == 200
    listing = client.get(QUOTES).content.decode()
    assert quote.number in listing


def test_a_reader_sees_the_quote_but_no_answer_form(quote_shop, client):
    login_with_second_factor(
        client, staff("auditor-q", "wagtailadmin.access_admin", "catalogue.view_quote")
    )
    quote = ask(quote_shop)

    page = client.get(f"{QUOTES}inspect/{quote.pk}/").content.decode()

    assert "Lycée Jean Moulin" in page and "Save and send the quote" not in page
    assert client.post(f"{QUOTES}{quote.pk}/answer/", {"send": "1"}).status_code == 302
    assert Quote.objects.get().status == "requested"
