"""The demo shop's orders: one in every state of the lifecycle in each language, placed through
``catalogue.checkout.placing.place_order`` on invoice (bank transfer) and moved on by the demo's
finance officer (payments received) and order fulfilment user (packing, shipping, delivery,
cancelling), through ``catalogue.orders.lifecycle`` as they would in the back office.

Each order's checkout key is fixed, so a second run finds the same orders (``place_order`` is
idempotent on its key) and takes only the steps each one still lacks.
"""

from django.contrib.auth import get_user_model

from brand.demo.catalogue import variant_skus
from catalogue.checkout.placing import place_order
from catalogue.models import Order, ProductVariant, ShippingRate
from catalogue.orders.lifecycle import cancel, deliver, mark_paid, pack, ship

Status = Order.Status
# The lifecycle's states in order, and the cancelled one off it.
FORWARD = [Status.AWAITING_PAYMENT, Status.PAID, Status.PACKED, Status.SHIPPED, Status.DELIVERED]
STATES = [*FORWARD, Status.CANCELLED]
CARRIER = "Qantara Post"

# (language, name, e-mail, organisation, purchase order, address, postcode, city, country, collect)
BUYERS = {
    "en": [
        (
            "Emma Clarke",
            "emma.clarke@example.com",
            "",
            "",
            "3 Rue du Port",
            "13002",
            "Marseille",
            "FR",
            False,
        ),
        (
            "Daniel Okafor",
            "d.okafor@example.org",
            "",
            "",
            "12 Market Street",
            "M1 1AA",
            "Manchester",
            "GB",
            False,
        ),
        ("Priya Nair", "priya.nair@example.net", "", "", "", "", "", "FR", True),
        (
            "Tom Becker",
            "tom.becker@example.de",
            "",
            "",
            "Lindenstraße 8",
            "10969",
            "Berlin",
            "DE",
            False,
        ),
        (
            "Grace Mensah",
            "grace.mensah@example.com",
            "",
            "",
            "40 Avenue Louise",
            "1050",
            "Brussels",
            "BE",
            False,
        ),
        (
            "Oliver Hart",
            "oliver.hart@example.com",
            "",
            "",
            "7 Place Bellecour",
            "69002",
            "Lyon",
            "FR",
            False,
        ),
    ],
    "fr": [
        (
            "Camille Roux",
            "camille.roux@example.fr",
            "",
            "",
            "18 rue des Lilas",
            "75020",
            "Paris",
            "FR",
            False,
        ),
        (
            "Lycée Jean-Moulin",
            "intendance@lycee-jm.example.fr",
            "Lycée Jean-Moulin",
            "BC-2026-114",
            "2 avenue de la République",
            "31000",
            "Toulouse",
            "FR",
            False,
        ),
        (
            "Hugo Lefèvre",
            "hugo.lefevre@example.be",
            "",
            "",
            "5 rue Haute",
            "4000",
            "Liège",
            "BE",
            False,
        ),
        ("Chloé Martin", "chloe.martin@example.fr", "", "", "", "", "", "FR", True),
        (
            "Louis Girard",
            "louis.girard@example.lu",
            "",
            "",
            "10 rue du Fort",
            "1111",
            "Luxembourg",
            "LU",
            False,
        ),
        (
            "Manon Petit",
            "manon.petit@example.fr",
            "",
            "",
            "9 quai des Chartrons",
            "33000",
            "Bordeaux",
            "FR",
            False,
        ),
    ],
    "ar": [
        (
            "يوسف العلوي",
            "youssef.alaoui@example.com",
            "",
            "",
            "22 rue de Tanger",
            "75019",
            "Paris",
            "FR",
            False,
        ),
        ("ليلى حداد", "leila.haddad@example.com", "", "", "", "", "", "FR", True),
        (
            "سارة بنعلي",
            "sara.benali@example.com",
            "",
            "",
            "14 Calle Mayor",
            "28013",
            "Madrid",
            "ES",
            False,
        ),
        (
            "مدرسة النور",
            "contact@annour.example.org",
            "مدرسة النور",
            "PO-7781",
            "6 Rue Basse",
            "59000",
            "Lille",
            "FR",
            False,
        ),
        (
            "عمر منصور",
            "omar.mansour@example.com",
            "",
            "",
            "3 Via Roma",
            "10121",
            "Turin",
            "IT",
            False,
        ),
        (
            "هدى الشريف",
            "houda.cherif@example.com",
            "",
            "",
            "1 Boulevard Longchamp",
            "13001",
            "Marseille",
            "FR",
            False,
        ),
    ],
}
# What each order holds, in turn: (product slug, variant's options, quantity)
BASKETS = [
    [("country-loaf", "800 g", 2), ("almond-biscuits", "500 g", 1)],
    [("work-jacket", "Size L", 1), ("canvas-apron", "Charcoal", 1)],
    [("olive-oil-soap", "Pack of 3", 2), ("greeting-cards", "Plants", 1)],
    [("dried-spearmint", "100 g", 3), ("tote-bag", "Indigo", 1)],
    [("bakery-recipe-book", "", 1), ("tea-towels", "", 1), ("herb-salt", "100 g", 2)],
    [("candle-lantern", "Small", 2), ("wall-hooks", "", 1)],
    [("cushion-cover", "Saffron", 2), ("laurel-soap", "", 3)],
    [("classroom-chair", "Seat height 38 cm", 12)],
    [("sketchbook", "Indigo", 2), ("exercise-book", "Pack of 5", 1)],
    [("table-linen", "Indigo", 1), ("napkins", "Terracotta", 1)],
]


def _lines(basket, variants) -> list:
    return [(variants[(product, options)], quantity) for product, options, quantity in basket]


def _shipping(lines, country: str, collect: bool) -> ShippingRate:
    """Collection from the shop, or the cheapest delivery of the country's zone that carries the
    order's weight."""
    rates = ShippingRate.objects.filter(active=True, zone__countries__contains=country)
    if collect:
        return rates.get(kind=ShippingRate.Kind.COLLECTION)
    weight = sum(variant.weight_grams * quantity for variant, quantity in lines)
    return (
        rates.filter(kind=ShippingRate.Kind.DELIVERY, max_weight_grams__gte=weight)
        .order_by("price", "max_weight_grams")
        .first()
    )


def _carrier(order: Order) -> dict[str, str]:
    """The post for a delivery; none for an order collected from the shop."""
    if order.shipping_rate.kind == ShippingRate.Kind.COLLECTION:
        return {"carrier": "", "tracking_number": ""}
    return {"carrier": CARRIER, "tracking_number": f"QP{order.pk:08d}QA"}


def _advance(order: Order, target: str, users: dict) -> Order:
    if target == Status.CANCELLED:
        if order.status == Status.AWAITING_PAYMENT:
            order = cancel(order, user=users["fulfilment"], reason="The buyer asked to cancel.")
        return order
    steps = {
        Status.PAID: lambda o: mark_paid(o, user=users["finance"]),
        Status.PACKED: lambda o: pack(o, user=users["fulfilment"]),
        Status.SHIPPED: lambda o: ship(o, user=users["fulfilment"], **_carrier(o)),
        Status.DELIVERED: lambda o: deliver(o, user=users["fulfilment"]),
    }
    while FORWARD.index(order.status) < FORWARD.index(target):
        order = steps[FORWARD[FORWARD.index(order.status) + 1]](order)
    return order


def seed_orders() -> dict[tuple[str, str], int]:
    """Place and move on the demo's orders; returns how many there are by (language, status)."""

    by_code = {row.code: row for row in variant_skus()}
    variants = {
        (by_code[variant.sku.code].product, by_code[variant.sku.code].options): variant
        for variant in ProductVariant.objects.select_related("sku").filter(
            sku__code__in=list(by_code)
        )
    }
    User = get_user_model()
    users = {name: User.objects.get(username=name) for name in ("finance", "fulfilment")}
    number = 0
    for language, buyers in BUYERS.items():
        for state, buyer in zip(STATES, buyers, strict=True):
            name, email, organisation, po, address, postcode, city, country, collect = buyer
            lines = _lines(BASKETS[number % len(BASKETS)], variants)
            number += 1
            order = place_order(
                key=f"demo-order-{number:02d}-{language}-{state}",
                lines=lines,
                contact={
                    "email": email,
                    "name": name,
                    "organisation": organisation,
                    "purchase_order": po,
                    "address": address,
                    "postcode": postcode,
                    "city": city,
                    "country": country,
                },
                shipping_rate=_shipping(lines, country, collect),
                payment_method="invoice",
                language=language,
            )
            _advance(order, state, users)
    counted = Order.objects.filter(key__startswith="demo-order-")
    return {
        (language, status): counted.filter(language=language, status=status).count()
        for language in BUYERS
        for status in STATES
    }
