"""The inventory's stocktake screen, used as a supervisor uses it: every count recorded at
once or none, only their workshop's; and the queries of the stock overview, however much stock
and however many workshops."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from brand.roles import sync_roles
from tests.workshops.builders import build_workshop
from tests.workshops.inventory_screens import (
    assert_not_found,
    errors,
    form_key,
    levels,
    page,
    receive,
    signed_in,
    snapshot,
)
from workshops.inventory import reserve, return_to_stock
from workshops.models import SKU, StockMovement

pytestmark = pytest.mark.django_db


# The request's session, user, second factor, permissions (2) and profile (6); whether a
# reservation expired, which stock rows are missing, the stock rows (twice: made, then listed), the
# latest movements, the workshops of the filter and whether the supervisor may count there (7 + 1);
# Wagtail's locales and its page, collection and site permissions for the menu (4); the session
# saved (3).
QUERIES_TO_SHOW_STOCK = 21


# Stocktakes


def stocktake_data(world, key, counts, reason="Monthly stocktake") -> dict:
    a, b = world.skus
    data = {"reason": reason, "key": key}
    for sku, counted in zip((a, b), counts, strict=True):
        data[f"sku_{sku.pk}"] = "" if counted is None else str(counted)
    return data


def test_a_stocktake_records_every_count_at_once(world, supervisor_client):
    a, b = world.skus
    receive(world, a, 10)
    url = reverse("stock_count", args=[world.workshop.pk])
    shown = supervisor_client.get(url)
    # Every box starts empty: only what is typed is counted (stock may arrive meanwhile).
    assert [
        (field["name"], field.get("value")) for field in page(shown).select("input[type=number]")
    ] == [(f"sku_{a.pk}", None), (f"sku_{b.pk}", None)]
    data = stocktake_data(world, form_key(shown), (8, 2))

    first = supervisor_client.post(url, data)
    again = supervisor_client.post(url, data)

    assert (first.status_code, first["Location"]) == (302, reverse("stock_overview"))
    assert (again.status_code, again["Location"]) == (302, reverse("stock_overview"))
    assert levels() == [("SKU-A", 8, 0), ("SKU-B", 2, 0)]
    assert list(
        StockMovement.objects.filter(kind="counted")
        .order_by("stock__sku__code")
        .values_list("stock__sku__code", "counted", "on_hand_change", "reason", "user")
    ) == [
        ("SKU-A", 8, -2, "Monthly stocktake", world.supervisor.pk),
        ("SKU-B", 2, 2, "Monthly stocktake", world.supervisor.pk),
    ]
    logged = ModelLogEntry.objects.filter(action="bridgework.stock_counted")
    assert [(entry.object_id, entry.data) for entry in logged] == [
        (
            str(world.workshop.pk),
            {"counted": {"SKU-A": 8, "SKU-B": 2}, "reason": "Monthly stocktake"},
        )
    ] * 2


def test_a_stocktake_with_a_count_below_what_is_reserved_records_none(world, supervisor_client):
    a, b = world.skus
    receive(world, a, 10)
    receive(world, b, 4)
    reserve([(a, 3)], key="r-1", expires_at=timezone.now() + datetime.timedelta(hours=1))
    url = reverse("stock_count", args=[world.workshop.pk])
    before = snapshot()

    response = supervisor_client.post(url, stocktake_data(world, "k-1", (2, 9)))
    empty = supervisor_client.post(url, stocktake_data(world, "k-2", (None, None)))
    negative = supervisor_client.post(url, stocktake_data(world, "k-3", (-1, 9)))

    assert (response.status_code, errors(response)) == (
        400,
        ["SKU-A: 2 counted is less than the 3 reserved."],
    )
    assert (empty.status_code, errors(empty)) == (400, ["Count at least one product."])
    assert negative.status_code == 400
    assert negative.context["form"].errors == {
        f"sku_{a.pk}": ["Ensure this value is greater than or equal to 0."]
    }
    assert snapshot() == before


def test_a_stocktake_of_a_single_product_leaves_the_others_alone(world, supervisor_client):
    a, b = world.skus
    receive(world, a, 10)
    receive(world, b, 4)

    response = supervisor_client.post(
        reverse("stock_count", args=[world.workshop.pk]),
        stocktake_data(world, "k-1", (None, 3)),
    )

    assert response.status_code == 302
    assert levels() == [("SKU-A", 10, 0), ("SKU-B", 3, 0)]


def test_another_workshops_stocktake_is_not_found(world, supervisor_client, other_sku):
    receive(world, other_sku, 7, user=world.other_supervisor)
    url = reverse("stock_count", args=[world.other.pk])
    before = snapshot()

    assert_not_found(supervisor_client, url)
    assert_not_found(
        supervisor_client, url, {f"sku_{other_sku.pk}": "1", "reason": "Monthly", "key": "k-1"}
    )
    assert_not_found(supervisor_client, reverse("stock_count", args=[999_999]))
    assert snapshot() == before


# Queries


def queries_to_show_stock(client) -> int:
    client.get(reverse("stock_overview"))  # warm-up: sessions, caches, stock rows made
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("stock_overview"))
    assert response.status_code == 200
    return len(queries)


def test_the_overview_takes_as_many_queries_however_much_stock_there_is(world, supervisor_client):
    a = world.skus[0]
    receive(world, a, 10)
    small = queries_to_show_stock(supervisor_client)

    for n in range(6):
        sku = SKU.objects.create(code=f"SKU-M{n}", name=f"More {n}", workshop=world.workshop)
        receive(world, sku, 20)
        for m in range(7):
            return_to_stock(sku, 1, key=f"ret-{n}-{m}", source=f"Order {m}")
    reserve([(a, 2)], key="r-1", expires_at=timezone.now() + datetime.timedelta(hours=1))
    large = queries_to_show_stock(supervisor_client)

    assert (small, large) == (QUERIES_TO_SHOW_STOCK, QUERIES_TO_SHOW_STOCK)


def test_the_overview_takes_as_many_queries_however_many_workshops_there_are(world):
    manager = User.objects.create_user("programme")
    manager.groups.add(sync_roles()["programme"])
    client = signed_in(manager)
    receive(world, world.skus[0], 10)
    few = queries_to_show_stock(client)

    for n in range(4):
        workshop = build_workshop(f"extra-{n}", prison=world.workshop.prison)
        SKU.objects.create(code=f"SKU-X{n}", name=f"Extra {n}", workshop=workshop)
    many = queries_to_show_stock(client)

    assert many == few
