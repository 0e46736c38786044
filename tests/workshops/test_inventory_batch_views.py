"""The inventory's back-office screens for batches and the overview, used as staff use them: a
supervisor records a finished batch of their workshop and sees its stock; order fulfilment sees
every workshop's stock and changes none of it. A form sent twice is applied once; every refusal
changes nothing."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from brand.roles import sync_roles
from tests.workshops.inventory_screens import (
    AWAY,
    assert_not_found,
    batch_data,
    errors,
    form_key,
    levels,
    links,
    page,
    receive,
    shown_stock,
    signed_in,
    snapshot,
)
from tests.workshops.production_builders import day
from workshops.inventory import reserve
from workshops.models import Batch, StockMovement

pytestmark = pytest.mark.django_db


@pytest.fixture
def fulfilment(world) -> Client:
    user = User.objects.create_user("fulfil")
    user.groups.add(sync_roles()["fulfilment"])
    return signed_in(user)


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
