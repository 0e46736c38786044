"""What the tests of the inventory's back-office screens share: what a page shows (its form's key,
errors, the stock table, links), the stock levels and what a refusal must leave unchanged, a
batch's form data, receiving a batch, and a client signed in with the second factor."""

from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from core.testing.twofactor import login_with_second_factor
from tests.workshops.production_builders import day
from workshops.inventory import receive_batch
from workshops.models import Batch, Stock, StockMovement

AWAY = (302, "/admin/")  # Wagtail's answer to a member of staff who may not enter


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
