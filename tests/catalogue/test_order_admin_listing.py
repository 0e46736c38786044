"""The orders' listing in the back office (``catalogue.orders.admin``): its columns, its filters
by status, day placed and payment method, its search by order number, e-mail or name, who may
read it, and a fixed number of queries whatever the number of orders."""

import datetime

import pytest
from django.utils import timezone

from catalogue.models import Order
from tests.brand.builders import build_home
from tests.catalogue.order_builders import build_order, build_shop, staff
from tests.catalogue.order_screens import (
    NOT_ALLOWED,
    ORDERS,
    auditor_staff,
    finance_staff,
    fulfilment_staff,
    signed_in,
    table,
)

pytestmark = pytest.mark.django_db
Status = Order.Status


@pytest.fixture(autouse=True)
def home():
    """The admin's home page, where Wagtail sends a refused user, needs a site."""
    return build_home()


def placed(order, day: datetime.date, status=Status.AWAITING_PAYMENT, **fields):
    """Move ``order`` to ``day`` (noon in the site's time zone) and ``status``."""
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    paid = at if status not in (Status.AWAITING_PAYMENT, Status.CANCELLED) else None
    cancelled = at if status == Status.CANCELLED else None
    shipped = at if status in (Status.SHIPPED, Status.DELIVERED) else None
    Order.objects.filter(pk=order.pk).update(
        placed_at=at,
        status=status,
        paid_at=paid,
        cancelled_at=cancelled,
        shipped_at=shipped,
        **fields,
    )
    return order


@pytest.fixture
def orders():
    """Four orders of November 2026, placed on the 2nd, 10th, 20th and 30th."""
    shop = build_shop()
    return [
        placed(build_order(shop, "BW-2026-0001"), datetime.date(2026, 11, 2)),
        placed(
            build_order(shop, "BW-2026-0002", method="card", name="Ahmed Saleh"),
            datetime.date(2026, 11, 10),
            Status.PAID,
        ),
        placed(
            build_order(shop, "BW-2026-0003", email="orders@mairie.example"),
            datetime.date(2026, 11, 20),
            Status.SHIPPED,
        ),
        placed(
            build_order(shop, "BW-2026-0004", method="card", name="Lea Dubois"),
            datetime.date(2026, 11, 30),
            Status.CANCELLED,
            cancel_reason="Asked by the buyer",
        ),
    ]


def numbers(response) -> list[str]:
    """The order numbers the listing shows, in its order."""
    return [row[0].removesuffix(" Inspect") for row in table(response.text)]


def test_the_listing_shows_each_order_newest_first_in_the_readers_formats(client, orders):
    signed_in(client, fulfilment_staff())

    response = client.get(ORDERS)

    assert response.status_code == 200
    assert table(response.text) == [
        [
            "BW-2026-0004 Inspect",
            "Nov 30, 2026, 12:00 PM",
            "Lea Dubois",
            "Cancelled",
            "By card",
            "€60.50",
        ],
        [
            "BW-2026-0003 Inspect",
            "Nov 20, 2026, 12:00 PM",
            "Camille Martin",
            "Shipped",
            "On invoice (bank transfer)",
            "€60.50",
        ],
        [
            "BW-2026-0002 Inspect",
            "Nov 10, 2026, 12:00 PM",
            "Ahmed Saleh",
            "Paid",
            "By card",
            "€60.50",
        ],
        [
            "BW-2026-0001 Inspect",
            "Nov 2, 2026, 12:00 PM",
            "Camille Martin",
            "Awaiting payment",
            "On invoice (bank transfer)",
            "€60.50",
        ],
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=awaiting_payment", ["BW-2026-0001"]),
        ("status=shipped", ["BW-2026-0003"]),
        ("status=delivered", []),
        ("payment_method=card", ["BW-2026-0004", "BW-2026-0002"]),
        ("payment_method=invoice", ["BW-2026-0003", "BW-2026-0001"]),
        ("placed_from=2026-11-10&placed_to=2026-11-20", ["BW-2026-0003", "BW-2026-0002"]),
        ("placed_from=2026-11-21", ["BW-2026-0004"]),
        ("placed_to=2026-11-02", ["BW-2026-0001"]),
        (
            "placed_from=2026-11-02&placed_to=2026-11-30&payment_method=card&status=paid",
            ["BW-2026-0002"],
        ),
        ("q=BW-2026-0003", ["BW-2026-0003"]),
        ("q=mairie.example", ["BW-2026-0003"]),
        ("q=saleh", ["BW-2026-0002"]),
        ("q=nobody", []),
    ],
)
def test_filters_and_search_find_exactly_the_matching_orders(client, orders, query, expected):
    signed_in(client, finance_staff())

    response = client.get(f"{ORDERS}?{query}")

    assert response.status_code == 200
    assert numbers(response) == expected


@pytest.mark.parametrize("make", [fulfilment_staff, finance_staff, auditor_staff])
def test_the_roles_of_orders_read_the_listing(client, orders, make):
    signed_in(client, make())

    assert numbers(client.get(ORDERS)) == [order.number for order in reversed(orders)]


def test_staff_without_the_orders_permission_are_sent_home(client, orders):
    signed_in(client, staff("editor", "wagtailadmin.access_admin"))

    response = client.get(ORDERS, follow=True)

    assert response.redirect_chain == [("/admin/", 302)]
    assert [str(m).strip() for m in response.context["messages"]] == [NOT_ALLOWED]


def test_no_add_edit_or_delete_screens_even_for_a_superuser(client, orders):
    admin = staff("root")
    admin.is_superuser = True
    admin.save()
    signed_in(client, admin)
    order = orders[0]

    answers = [
        client.get(f"{ORDERS}new/").status_code,
        client.get(f"{ORDERS}edit/{order.pk}/").status_code,
        client.post(f"{ORDERS}delete/{order.pk}/").status_code,
    ]

    assert answers == [302, 302, 302]
    assert Order.objects.count() == 4


# The listing's queries: the session, the user and their profile, the admin's site and menu, the
# count and the page of orders (one query for every row's columns), the filters' and the
# sidebar's; none per order.
LISTING_QUERIES = 15


@pytest.mark.parametrize("size", [3, 12])
def test_the_listing_makes_the_same_number_of_queries_for_3_and_12_orders(
    client, size, django_assert_num_queries
):
    shop = build_shop(stock=100)
    for n in range(1, size + 1):
        build_order(shop, f"BW-2026-{n:04d}")
    signed_in(client, fulfilment_staff())
    client.get(ORDERS)  # warm-up: sessions, site, content types

    with django_assert_num_queries(LISTING_QUERIES):
        response = client.get(ORDERS)

    assert len(numbers(response)) == size
