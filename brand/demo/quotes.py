"""The demo shop's quotes: one in each state (requested, quoted, accepted with its order on
invoice, declined, expired, withdrawn), asked for through ``catalogue.quotes.request_quote`` and
answered by the demo's order fulfilment user through ``catalogue.quotes.answering``, as in the
back office, with 10 % off the list prices for bulk. The accepted one is accepted by its buyer
(``accept_quote``), which reserves its stock and places its order.

Each request's form key is fixed, so a second run finds the same quotes and takes only the steps
each still lacks. The expired quote is one sent with a short validity whose day is moved into the
past before ``expire_quotes`` runs, as if it had been sent weeks ago.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from moneyed import Money

from catalogue.cart.selectors import available_units
from catalogue.models import ProductVariant, Quote, ShippingRate
from catalogue.quotes.accepting import accept_quote, decline_quote
from catalogue.quotes.answering import price_quote, send_quote, withdraw_quote
from catalogue.quotes.expiry import expire_quotes
from catalogue.quotes.requesting import request_quote

Status = Quote.Status
DISCOUNT = Decimal("0.90")  # 10 % off for bulk
CENT = Decimal("0.01")

# (state, language, organisation, contact, e-mail, address, postcode, city, country,
#  purchase order required, [(product slug, quantity wanted)])
REQUESTS = [
    ("requested", "fr", "Lycée Jean-Moulin", "Claire Dubois", "intendance@lycee-jm.example.fr",
     "2 avenue de la République", "31000", "Toulouse", "FR", True,
     [("classroom-chair", 30), ("exercise-book", 120)]),
    ("quoted", "fr", "Centre social des Lilas", "Nadia Benamar", "achats@cs-lilas.example.fr",
     "18 rue des Lilas", "75020", "Paris", "FR", False,
     [("tea-towels", 60), ("tote-bag", 40)]),
    ("accepted", "en", "City of Marseille, schools department", "Emma Clarke",
     "schools@marseille.example.org", "3 Rue du Port", "13002", "Marseille", "FR", True,
     [("exercise-book", 40), ("sketchbook", 20)]),
    ("declined", "en", "Hotel Aurora", "Tom Becker", "purchasing@aurora.example.de",
     "Lindenstraße 8", "10969", "Berlin", "DE", False,
     [("table-linen", 25), ("napkins", 100)]),
    ("expired", "ar", "مدرسة النور", "عمر منصور", "contact@annour.example.org",
     "6 Rue Basse", "59000", "Lille", "FR", True,
     [("sketchbook", 50)]),
    ("withdrawn", "en", "Green Gardens Association", "Grace Mensah",
     "orders@greengardens.example.com", "40 Avenue Louise", "1050", "Brussels", "BE", False,
     [("canvas-apron", 80)]),
]  # fmt: skip
PURCHASE_ORDER = "PO-2026-0042"


def _variants() -> dict[str, ProductVariant]:
    """The first variant on sale of each demo product, by its page's slug (default language)."""
    variants = {}
    rows = ProductVariant.objects.filter(available=True).select_related("product", "sku")
    for variant in rows.order_by("product__slug", "sort_order", "pk"):
        variants.setdefault(variant.product.slug, variant)
    return variants


def _lines(wanted, variants, *, in_stock: bool) -> list:
    """The wanted lines of products the demo has; for a quote to be accepted, no more than half
    of what is in stock, so that accepting reserves it."""
    lines = [(variants[slug], quantity) for slug, quantity in wanted if slug in variants]
    if not in_stock:
        return lines
    units = available_units([variant for variant, _quantity in lines])
    return [
        (variant, min(quantity, units.get(variant.sku_id, 0) // 2))
        for variant, quantity in lines
        if units.get(variant.sku_id, 0) >= 2
    ]


def _shipping(quote: Quote) -> ShippingRate | None:
    """The cheapest delivery of the country's zone that carries the quote, else a collection."""
    weight = sum(line.variant.weight_grams * line.quantity for line in quote.lines.all())
    rates = ShippingRate.objects.filter(active=True, zone__countries__contains=str(quote.country))
    delivery = (
        rates.filter(kind=ShippingRate.Kind.DELIVERY, max_weight_grams__gte=weight)
        .order_by("price", "max_weight_grams")
        .first()
    )
    return delivery or rates.filter(max_weight_grams__gte=weight).order_by("price").first()


def _bulk_price(price: Money) -> Money:
    return Money((price.amount * DISCOUNT).quantize(CENT, rounding=ROUND_HALF_UP), price.currency)


def _answered(quote: Quote, user, *, valid_for: int) -> Quote:
    if quote.status != Status.REQUESTED:
        return quote
    rate = _shipping(quote)
    if rate is None:
        return quote  # too heavy for any rate of the zone: left for staff to answer by hand
    quote = price_quote(
        quote,
        user=user,
        unit_prices={line.pk: _bulk_price(line.list_price) for line in quote.lines.all()},
        shipping_rate=rate,
        valid_until=timezone.localdate() + datetime.timedelta(days=valid_for),
    )
    return send_quote(quote, user=user)


def seed_quotes() -> dict[str, str]:
    """Returns each demo quote's status by the state it was made for."""
    user = get_user_model().objects.get(username="fulfilment")
    variants = _variants()
    made = {}
    for (
        state,
        language,
        organisation,
        name,
        email,
        address,
        postcode,
        city,
        country,
        po,
        wanted,
    ) in REQUESTS:
        lines = _lines(wanted, variants, in_stock=state == "accepted")
        if not lines:
            continue
        quote = request_quote(
            key=f"demo-quote-request-{state}",
            contact={
                "organisation": organisation,
                "name": name,
                "email": email,
                "address": address,
                "postcode": postcode,
                "city": city,
                "country": country,
            },
            lines=lines,
            purchase_order_required=po,
            message="Delivery in one parcel if possible." if language == "en" else "",
            language=language,
        )
        if state != "requested":
            quote = _answered(quote, user, valid_for=0 if state == "expired" else 30)
        if state == "accepted" and quote.status == Status.QUOTED:
            accept_quote(quote, purchase_order=PURCHASE_ORDER)
        elif state == "declined" and quote.status == Status.QUOTED:
            decline_quote(quote)
        elif state == "withdrawn" and quote.status in (Status.REQUESTED, Status.QUOTED):
            withdraw_quote(quote, user=user, reason="The buyer found the products elsewhere.")
        elif state == "expired" and quote.status == Status.QUOTED:
            yesterday = timezone.localdate() - datetime.timedelta(days=1)
            Quote.objects.filter(pk=quote.pk).update(valid_until=yesterday)  # sent weeks ago
        made[state] = quote.number
    expire_quotes()
    statuses = dict(Quote.objects.filter(number__in=made.values()).values_list("number", "status"))
    return {state: statuses[number] for state, number in made.items()}
