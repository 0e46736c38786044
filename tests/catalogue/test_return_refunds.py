"""An accepted return leads to its refund (``catalogue.returns.refunding``): on the return's page,
accepting refunds the units taken back at once, restocking those marked so, and links the refund
and its credit note; a card refund the provider refuses leaves the return accepted, and the
page refunds it again with a new attempt. The order is the refund builders' (bread 2 × 12.00,
apron 30.50, shipping 6.00; 60.50), paid, then delivered yesterday."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalogue.models import Order, Refund, ReturnRequest
from catalogue.returns import operations
from catalogue.returns.refunding import refund_return
from tests.catalogue.order_builders import build_shop, staff
from tests.catalogue.order_screens import shown, signed_in
from tests.catalogue.refund_builders import paid_order, snapshot
from workshops.models import Stock

pytestmark = pytest.mark.django_db
RETURNS = "/admin/catalogue/returnrequest/"


@pytest.fixture
def shop():
    return build_shop()


@pytest.fixture
def packer():
    return staff(
        "packer",
        "wagtailadmin.access_admin",
        "catalogue.view_order",
        "catalogue.view_returnrequest",
        "catalogue.decide_return",
        "catalogue.refund_order",
    )


def delivered(shop, method="invoice"):
    order = paid_order(shop, method=method)
    now = timezone.now()
    Order.objects.filter(pk=order.pk).update(
        status="delivered", shipped_at=now - datetime.timedelta(days=2), delivered_at=now
    )
    order.refresh_from_db()
    return order


def line_ids(order) -> dict[str, int]:
    return {line.description: line.pk for line in order.lines.all()}


def asked(order, **units):
    ids = line_ids(order)
    return operations.request_return(
        order,
        key="return-key-0001",
        lines=[(ids[name], quantity) for name, quantity in units.items()],
        reason="not_needed",
    )


def bread_on_hand(shop) -> int:
    return Stock.objects.get(sku=shop.bread).on_hand


def test_accepting_on_the_page_refunds_the_units_taken_back(client, shop, packer):
    order = delivered(shop)
    request = asked(order, Bread=2, Apron=1)
    ids = line_ids(order)
    on_hand = bread_on_hand(shop)
    signed_in(client, packer)

    response = client.post(
        f"{RETURNS}{request.pk}/accept/",
        {
            f"accept-quantity_{ids['Bread']}": "2",
            f"accept-restock_{ids['Bread']}": "on",
            f"accept-quantity_{ids['Apron']}": "1",
        },
        follow=True,
    )

    refund = Refund.objects.get()
    number = refund.credit_note.number
    assert shown(response) == [
        "Return accepted: the buyer is told by e-mail.",
        f"Refunded: credit note {number}.",
    ]
    # 2 × 12.00 + 30.50 and, every unit being back, the shipping 6.00 too
    assert (refund.key, refund.amount.amount) == (f"return:{request.pk}:1", Decimal("60.500"))
    request.refresh_from_db()
    assert (request.state, request.refund) == ("refunded", refund)
    assert f"credit note {number}" in response.text
    assert bread_on_hand(shop) == on_hand + 2  # the bread back in stock, the apron not


def test_refunding_a_return_twice_makes_one_refund(shop, packer):
    order = delivered(shop)
    request = asked(order, Bread=1)
    operations.accept_return(request, user=packer, lines=[(line_ids(order)["Bread"], 1, False)])

    first = refund_return(request, user=packer)
    again = refund_return(request, user=packer)

    assert first == again and Refund.objects.count() == 1
    assert first.amount.amount == Decimal("12.000")


def test_a_return_not_accepted_is_not_refunded_and_nothing_changes(shop, packer):
    order = delivered(shop)
    request = asked(order, Bread=1)
    before = snapshot()

    with pytest.raises(ValidationError) as refused:
        refund_return(request, user=packer)

    assert refused.value.messages == [
        f"Return {request.pk} is requested: only an accepted return is refunded."
    ]
    assert snapshot() == before
    assert ReturnRequest.objects.get().state == "requested"


def test_a_card_refund_refused_by_stripe_is_made_again_from_the_returns_page(
    client, shop, packer, fake_stripe
):
    order = delivered(shop, method="card")
    request = asked(order, Bread=1)
    operations.accept_return(request, user=packer, lines=[(line_ids(order)["Bread"], 1, True)])
    fake_stripe.on(
        "post",
        "/v1/refunds",
        lambda r: (402, {"error": {"type": "card_error", "message": "The bank said no."}}),
    )
    signed_in(client, packer)

    first = client.post(f"{RETURNS}{request.pk}/refund/", follow=True)

    assert shown(first) == [
        "The card provider refused the refund of €12.00: The bank said no. Nothing was "
        "refunded; try again later or refund an amount the card still holds."
    ]
    assert ReturnRequest.objects.get().state == "accepted"
    assert "Refund the return" in first.text

    fake_stripe.on(
        "post",
        "/v1/refunds",
        lambda r: (
            200,
            {"id": "re_again", "object": "refund", "amount": 1200, "status": "succeeded"},
        ),
    )
    second = client.post(f"{RETURNS}{request.pk}/refund/", follow=True)

    made = Refund.objects.get(status="succeeded")
    assert shown(second) == [f"Refunded: credit note {made.credit_note.number}."]
    assert made.key == f"return:{request.pk}:2"
    assert [r.idempotency_key for r in fake_stripe.requests if r.path == "/v1/refunds"] == [
        f"refund:return:{request.pk}:1",
        f"refund:return:{request.pk}:2",
    ]
    assert ReturnRequest.objects.get().refund == made
