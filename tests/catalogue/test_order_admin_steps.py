"""The steps of an order in the back office (``catalogue.orders.admin_views.StepView``): each by the role
that may take it, refused to the others (sent home, nothing changed), a wrong step or bad input
refused in words on the order's page (nothing changed), and the steps each page offers."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from catalogue.models import Invoice, Order
from catalogue.orders import lifecycle
from tests.brand.builders import build_home
from tests.catalogue.order_builders import build_order, build_shop
from tests.catalogue.order_screens import (
    NOT_ALLOWED,
    auditor_staff,
    finance_staff,
    fulfilment_staff,
    page_url,
    shown,
    signed_in,
    step_url,
    steps,
)
from wages.models import Journal
from workshops.models import Stock

pytestmark = pytest.mark.django_db
Status = Order.Status


@pytest.fixture(autouse=True)
def home():
    return build_home()


@pytest.fixture
def shop():
    return build_shop()


@pytest.fixture
def order(shop):
    return build_order(shop)


@pytest.fixture
def finance():
    return finance_staff()


@pytest.fixture
def packer():
    return fulfilment_staff()


def state(order) -> tuple:
    """What a refused step must leave as it was."""
    order.refresh_from_db()
    return (
        order.status,
        order.paid_at,
        order.packed_at,
        order.shipped_at,
        order.carrier,
        order.delivered_at,
        order.cancelled_at,
        order.cancel_reason,
        list(Stock.objects.order_by("sku__code").values_list("on_hand", "reserved")),
        Journal.objects.count(),
        Invoice.objects.count(),
        ModelLogEntry.objects.count(),
    )


def paid(order, finance):
    return lifecycle.mark_paid(order, user=finance, on=timezone.localdate())


def post(client, order, action, data=None):
    return client.post(step_url(order, action), data or {}, follow=True)


# Each step by its role


def test_a_finance_officer_records_the_payment_on_the_day_it_arrived(client, order, finance):
    signed_in(client, finance)
    today = timezone.localdate()

    response = post(client, order, "mark-paid", {"mark-paid-on": today.isoformat()})

    assert response.redirect_chain == [(page_url(order), 302)]
    assert shown(response) == ["Payment of order BW-2026-0001 recorded: it can be packed."]
    order.refresh_from_db()
    assert order.status == Status.PAID
    assert list(Stock.objects.order_by("sku__code").values_list("on_hand", "reserved")) == [
        (9, 0),
        (8, 0),
    ]
    assert ModelLogEntry.objects.for_instance(order).get().data == {"on": today.isoformat()}
    assert steps(response) == []  # packing is for order fulfilment


def test_order_fulfilment_packs_ships_and_delivers(client, order, finance, packer):
    paid(order, finance)
    signed_in(client, packer)

    packed = post(client, order, "pack")
    shipped = post(
        client,
        order,
        "ship",
        {"ship-carrier": "La Poste", "ship-tracking_number": "6A123"},
    )
    delivered = post(client, order, "deliver")

    assert [shown(packed), shown(shipped), shown(delivered)] == [
        ["Order BW-2026-0001 packed."],
        ["Order BW-2026-0001 shipped: the buyer is told by e-mail."],
        ["Order BW-2026-0001 delivered."],
    ]
    assert [steps(packed), steps(shipped), steps(delivered)] == [["ship"], ["deliver"], []]
    order.refresh_from_db()
    assert (order.status, order.carrier, order.tracking_number) == (
        Status.DELIVERED,
        "La Poste",
        "6A123",
    )


def test_order_fulfilment_cancels_an_unpaid_order_with_its_reason(client, order, packer):
    signed_in(client, packer)

    response = post(client, order, "cancel", {"cancel-reason": "The buyer asked us to"})

    assert shown(response) == ["Order BW-2026-0001 cancelled: its stock is free again."]
    order.refresh_from_db()
    assert (order.status, order.cancel_reason) == (Status.CANCELLED, "The buyer asked us to")
    assert list(Stock.objects.values_list("reserved", flat=True)) == [0, 0]


# Refused to the wrong role: sent home, nothing changed


@pytest.mark.parametrize(
    ("role", "action", "data"),
    [
        ("packer", "mark-paid", {"mark-paid-on": "2026-12-01"}),
        ("auditor", "mark-paid", {"mark-paid-on": "2026-12-01"}),
        ("finance", "cancel", {"cancel-reason": "No"}),
        ("auditor", "cancel", {"cancel-reason": "No"}),
        ("finance", "pack", {}),
        ("auditor", "pack", {}),
        ("finance", "unknown", {}),
    ],
)
def test_a_step_is_refused_to_a_role_that_may_not_take_it(client, order, role, action, data):
    user = {"packer": fulfilment_staff, "finance": finance_staff, "auditor": auditor_staff}[role]()
    signed_in(client, user)
    before = state(order)

    response = post(client, order, action, data)

    assert response.redirect_chain == [("/admin/", 302)]
    assert shown(response) == [NOT_ALLOWED]
    assert state(order) == before


def test_a_step_answers_only_a_post(client, order, packer):
    signed_in(client, packer)
    before = state(order)

    assert client.get(step_url(order, "cancel")).status_code == 405
    assert state(order) == before


# Refused in words: back on the order's page, nothing changed


def test_a_wrong_step_is_refused_in_words(client, order, packer):
    signed_in(client, packer)
    before = state(order)

    response = post(client, order, "pack")

    assert response.redirect_chain == [(page_url(order), 302)]
    assert shown(response) == ["Order BW-2026-0001 is awaiting payment: it cannot be packed."]
    assert state(order) == before


def test_a_payment_in_the_future_is_refused(client, order, finance):
    signed_in(client, finance)
    before = state(order)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = post(client, order, "mark-paid", {"mark-paid-on": tomorrow.isoformat()})

    assert shown(response) == ["A payment cannot arrive in the future."]
    assert state(order) == before


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("mark-paid", {}, "Day the transfer arrived: This field is required."),
        ("mark-paid", {"mark-paid-on": "soon"}, "Day the transfer arrived: Enter a valid date."),
        ("cancel", {"cancel-reason": ""}, "Why it is cancelled: This field is required."),
        ("cancel", {"cancel-reason": "   "}, "Why it is cancelled: This field is required."),
    ],
)
def test_a_form_left_wrong_is_refused_by_its_field(client, order, action, data, message):
    signed_in(client, staff_for(action))
    before = state(order)

    response = post(client, order, action, data)

    assert response.redirect_chain == [(page_url(order), 302)]
    assert shown(response) == [message]
    assert state(order) == before


def staff_for(action):
    return finance_staff() if action == "mark-paid" else fulfilment_staff()


def test_shipping_without_a_carrier_is_refused(client, order, finance, packer):
    lifecycle.pack(paid(order, finance), user=packer)
    signed_in(client, packer)
    before = state(order)

    response = post(client, order, "ship", {"ship-carrier": " ", "ship-tracking_number": "1"})

    assert shown(response) == ["Name the carrier that takes the parcel."]
    assert state(order) == before


def test_a_step_taken_twice_is_refused_the_second_time(client, order, finance, packer):
    paid(order, finance)
    signed_in(client, packer)
    post(client, order, "pack")
    before = state(order)

    response = post(client, order, "pack")

    assert shown(response) == ["Order BW-2026-0001 is packed: it cannot be packed."]
    assert state(order) == before


# What each page offers


@pytest.mark.parametrize(
    ("status", "offered"),
    [
        ("awaiting_payment", {"packer": ["cancel"], "finance": ["mark-paid"], "auditor": []}),
        ("paid", {"packer": ["pack"], "finance": [], "auditor": []}),
        ("packed", {"packer": ["ship"], "finance": [], "auditor": []}),
        ("shipped", {"packer": ["deliver"], "finance": [], "auditor": []}),
        ("delivered", {"packer": [], "finance": [], "auditor": []}),
        ("cancelled", {"packer": [], "finance": [], "auditor": []}),
    ],
)
def test_each_role_is_offered_only_the_steps_it_may_take_now(client, order, status, offered):
    now = timezone.now()
    Order.objects.filter(pk=order.pk).update(
        status=status,
        paid_at=None if status in ("awaiting_payment", "cancelled") else now,
        shipped_at=now if status in ("shipped", "delivered") else None,
        cancelled_at=now if status == "cancelled" else None,
    )
    users = {"packer": fulfilment_staff(), "finance": finance_staff(), "auditor": auditor_staff()}

    found = {}
    for role, user in users.items():
        signed_in(client, user)
        found[role] = steps(client.get(page_url(order)))

    assert found == offered
