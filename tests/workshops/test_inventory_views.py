"""The inventory's back-office screens, used as staff use them: a supervisor records a finished
batch of their workshop and counts its stock; order fulfilment sees every workshop's stock and
changes none of it. A form sent twice is applied once; every refusal changes nothing."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from brand.roles import sync_roles
from core.testing.twofactor import login_with_second_factor
from tests.workshops.builders import build_workshop
from tests.workshops.production_builders import day
from workshops.inventory import receive_batch, reserve, return_to_stock
from workshops.models import SKU, Batch, Stock, StockMovement

pytestmark = pytest.mark.django_db
AWAY = (302, "/admin/")  # Wagtail's answer to a member of staff who may not enter
# The request's session, user, second factor, permissions (2) and profile (6); whether a
# reservation expired, which stock rows are missing, the stock rows (twice: made, then listed), the
# latest movements, the workshops of the filter and whether the supervisor may count there (7 + 1);
# Wagtail's locales and its page, collection and site permissions for the menu (4); the session
# saved (3).
QUERIES_TO_SHOW_STOCK = 21


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def form_key(response) -> str:
    return page(response).select_one("input[name=key]")["value"]


def errors(response) -> list[str]:
    return [p.get_text() for p in page(response).select(".help-critical p")]


def shown_stock(response) -> list[tuple]:
    """(workshop, [(product, on hand, reserved, available)]) as the overview shows them."""
    return [
        (
            section.select_one("h2").get_text(),
            [
                tuple(
                    [row.select_one("th").get_text()]
                    + [cell.get_text() for cell in row.select("td")[:3]]
                )
                for row in section.select("tbody tr")
            ],
        )
        for section in page(response).select("section")
    ]


def links(response, world) -> set[str]:
    """Which of the batch form and the stocktakes the page links to."""
    forms = {reverse("stock_batch")} | {
        reverse("stock_count", args=[workshop.pk]) for workshop in (world.workshop, world.other)
    }
    return {a["href"] for a in page(response).select("a[href]")} & forms


def levels() -> list[tuple]:
    return list(Stock.objects.order_by("sku__code").values_list("sku__code", "on_hand", "reserved"))


def snapshot() -> tuple:
    return (
        list(Batch.objects.values_list("sku__code", "quantity", "made_from", "made_to")),
        levels(),
        StockMovement.objects.count(),
        ModelLogEntry.objects.count(),
    )


def batch_data(sku, key, **changes) -> dict:
    return {
        "sku": sku.pk,
        "quantity": "12",
        "made_from": day(0).isoformat(),
        "made_to": day(4).isoformat(),
        "key": key,
        **changes,
    }


def receive(world, sku, quantity, *, user=None, start=0, key=None) -> Batch:
    return receive_batch(
        sku=sku,
        quantity=quantity,
        made_from=day(start),
        made_to=day(start + 1),
        user=user or world.supervisor,
        key=key or f"{sku.code}-{start}",
    )


def assert_not_found(client, url, data=None) -> None:
    """A 404 in the back office; the site's language middleware first sends it to the same path
    under the default language, where it is not found either."""
    response = client.get(url, follow=True) if data is None else client.post(url, data, follow=True)
    assert (response.status_code, response.redirect_chain) == (404, [(f"/en{url}", 302)])


def signed_in(user) -> Client:
    client = Client()
    login_with_second_factor(client, user)
    return client


@pytest.fixture
def fulfilment(world) -> Client:
    user = User.objects.create_user("fulfil")
    user.groups.add(sync_roles()["fulfilment"])
    return signed_in(user)


@pytest.fixture
def other_sku(world) -> SKU:
    return SKU.objects.get(code="SKU-O")


# Recording a batch


def test_a_supervisor_records_a_batch_once_however_often_the_form_is_sent(world, supervisor_client):
    a = world.skus[0]
    shown = supervisor_client.get(reverse("stock_batch"))
    data = batch_data(a, form_key(shown))

    first = supervisor_client.post(reverse("stock_batch"), data)
    again = supervisor_client.post(reverse("stock_batch"), data)

    assert (first.status_code, first["Location"]) == (302, reverse("stock_overview"))
    assert (again.status_code, again["Location"]) == (302, reverse("stock_overview"))
    assert list(
        Batch.objects.values_list("sku__code", "quantity", "made_from", "made_to", "recorded_by")
    ) == [("SKU-A", 12, day(0), day(4), world.supervisor.pk)]
    assert levels() == [("SKU-A", 12, 0)]
    assert StockMovement.objects.count() == 1
    assert ModelLogEntry.objects.filter(action="bridgework.batch_received").count() == 1


def test_the_batch_form_offers_only_the_supervisors_products(world, supervisor_client):
    response = supervisor_client.get(reverse("stock_batch"))

    assert response.status_code == 200
    assert [
        (option["value"], option.get_text())
        for option in page(response).select("select[name=sku] option")
    ] == [
        ("", "---------"),
        (str(world.skus[0].pk), "Workshop tailoring-north · SKU-A Product 0"),
        (str(world.skus[1].pk), "Workshop tailoring-north · SKU-B Product 1"),
    ]
    assert page(response).select_one("input[name=made_to]")["value"] == (
        timezone.localdate().isoformat()
    )


def test_another_workshops_product_posted_anyway_is_refused(world, supervisor_client, other_sku):
    before = snapshot()

    response = supervisor_client.post(reverse("stock_batch"), batch_data(other_sku, "k-1"))

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "sku": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert snapshot() == before


def test_a_refusal_of_the_operation_is_shown_and_nothing_changes(world, supervisor_client):
    a = world.skus[0]
    receive(world, a, 5, start=3)
    before = snapshot()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    overlapping = supervisor_client.post(reverse("stock_batch"), batch_data(a, "k-1"))
    future = supervisor_client.post(
        reverse("stock_batch"),
        batch_data(a, "k-2", made_from=tomorrow.isoformat(), made_to=tomorrow.isoformat()),
    )

    assert overlapping.status_code == 400
    assert errors(overlapping) == [
        "A batch of SKU-A made from Nov 5, 2026 to Nov 6, 2026 overlaps these dates: batches of "
        "one SKU never overlap."
    ]
    assert (future.status_code, errors(future)) == (
        400,
        [
            "A batch cannot be made in the future.",
            "A batch is received on or after its last day of making.",
        ],
    )
    assert snapshot() == before


# The overview


def test_a_supervisor_sees_the_stock_of_their_workshops_only(world, supervisor_client, other_sku):
    a = world.skus[0]
    receive(world, a, 10)
    reserve([(a, 3)], key="r-1", expires_at=timezone.now() + datetime.timedelta(hours=1))
    receive(world, other_sku, 7, user=world.other_supervisor)

    response = supervisor_client.get(reverse("stock_overview"))

    assert response.status_code == 200
    assert shown_stock(response) == [
        (
            "Workshop tailoring-north",
            [("SKU-A Product 0", "10", "3", "7"), ("SKU-B Product 1", "0", "0", "0")],
        )
    ]
    assert links(response, world) == {
        reverse("stock_batch"),
        reverse("stock_count", args=[world.workshop.pk]),
    }


def test_order_fulfilment_sees_every_workshops_stock_and_changes_none(world, fulfilment, other_sku):
    a = world.skus[0]
    receive(world, a, 10)
    receive(world, other_sku, 7, user=world.other_supervisor)

    response = fulfilment.get(reverse("stock_overview"))
    before = snapshot()  # reading made SKU-B's empty stock row

    assert response.status_code == 200
    assert shown_stock(response) == [
        ("Workshop bakery-north", [("SKU-O Other product", "7", "0", "7")]),
        (
            "Workshop tailoring-north",
            [("SKU-A Product 0", "10", "0", "10"), ("SKU-B Product 1", "0", "0", "0")],
        ),
    ]
    assert links(response, world) == set()
    get = fulfilment.get(reverse("stock_batch"))
    post = fulfilment.post(reverse("stock_batch"), batch_data(a, "k-1", made_from=day(10)))
    assert ((get.status_code, get["Location"]), (post.status_code, post["Location"])) == (
        AWAY,
        AWAY,
    )
    url = reverse("stock_count", args=[world.workshop.pk])
    assert_not_found(fulfilment, url)
    assert_not_found(fulfilment, url, {f"sku_{a.pk}": "1", "reason": "Monthly", "key": "k-2"})
    assert snapshot() == before


@pytest.mark.parametrize(
    "name", ["stock_overview", "stock_batch", "stock_count"], ids=["overview", "batch", "count"]
)
def test_someone_not_signed_in_is_sent_to_sign_in(world, client, name):
    url = reverse(name, args=[world.workshop.pk] if name == "stock_count" else [])

    response = client.get(url)

    assert (response.status_code, response["Location"]) == (302, f"/admin/login/?next={url}")


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
