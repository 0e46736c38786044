"""The quotes the permission matrix is walked over, kept by ``tests.security.world``'s
``build_world``: a request not yet answered and a quote sent (valid for years), of the shop's
bread (``world_shop``). Their buyer's organisation is secret text: no refused answer may carry it."""

import datetime
from decimal import Decimal

from django.utils import timezone

from catalogue.models import Quote, QuoteLine, ShippingRate
from tests.catalogue.order_builders import eur
from workshops.models import SKU

ORGANISATION = "Secret Organisation 6620"


def _quote(number: str, rate: ShippingRate, **fields) -> Quote:
    quote = Quote.objects.create(
        number=number,
        key=f"quote-request-key-{number}",
        language="en",
        currency="EUR",
        prices_include_tax=True,
        organisation=ORGANISATION,
        name="Quote Buyer",
        email="quotes@example.org",
        address="1 rue du Pain",
        city="Paris",
        country="FR",
        net_total=eur("20.00"),
        tax_total=eur("4.00"),
        total=eur("24.00"),
        **fields,
    )
    QuoteLine.objects.create(
        quote=quote, sku=SKU.objects.get(code="BREAD"), description="Bread", quantity=2,
        list_price=eur("12.00"), unit_price=eur("12.00"), tax_rate=Decimal(20),
        net=eur("20.00"), tax=eur("4.00"), gross=eur("24.00"),
    )  # fmt: skip
    return quote


def build_quote_records(ids: dict) -> dict:
    rate = ShippingRate.objects.get(pk=ids["shippingrate"])
    requested = _quote("Q-2026-000001", rate)
    quoted = _quote(
        "Q-2026-000002",
        rate,
        status=Quote.Status.QUOTED,
        quoted_at=timezone.now(),
        valid_until=timezone.localdate() + datetime.timedelta(days=3650),
        shipping_rate=rate,
        shipping_name="Post",
    )
    return {
        "quote": requested.pk,
        "quotedquote": quoted.pk,
        "quotetoken": requested.access_token,
        "quotedtoken": quoted.access_token,
    }
