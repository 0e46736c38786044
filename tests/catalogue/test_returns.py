"""Returns (``catalogue.returns``): the buyer asks from their order's page within the window, for
no more than they bought less what earlier returns claim; order fulfilment accepts (per line, how
many and whether back in stock) or refuses (with a reason); the buyer is told by e-mail in the
order's language. Every refusal is in words and changes nothing."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from catalogue.models import Order, ReturnLine, ReturnRequest, ShopSettings
from catalogue.orders.emails import send_order_email
from catalogue.returns import operations
from tests.brand.builders import build_home
from tests.catalogue.order_builders import build_order, build_shop, staff
from tests.catalogue.order_screens import auditor_staff, shown, signed_in, table
from workshops.models import Stock

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]
State = ReturnRequest.State
DAY = datetime.timedelta(days=1)
RETURNS = "/admin/catalogue/returnrequest/"


@pytest.fixture(autouse=True)
def home():
    return build_home()


@pytest.fixture
def shop():
    settings = ShopSettings.load()
    settings.seller_name, settings.seller_address = "Bridgework", "1 Quai du Port\n13002 Marseille"
    settings.save()
    return build_shop()


@pytest.fixture
def packer():
    return staff(
        "packer",
        "wagtailadmin.access_admin",
        "catalogue.view_order",
        "catalogue.view_returnrequest",
        "catalogue.decide_return",
    )


def sent(shop, number="BW-2026-0001", *, shipped_days_ago=2, delivered_days_ago=1, **fields):
    """An order shipped (and delivered, unless ``delivered_days_ago`` is None) days ago."""
    order = build_order(shop, number, **fields)
    now = timezone.now()
    delivered = delivered_days_ago is not None
    Order.objects.filter(pk=order.pk).update(
        status="delivered" if delivered else "shipped",
        paid_at=now - (shipped_days_ago + 2) * DAY,
        shipped_at=now - shipped_days_ago * DAY,
        delivered_at=now - delivered_days_ago * DAY if delivered else None,
    )
    order.refresh_from_db()
    return order


def lines_of(order) -> dict[str, int]:
    return {line.description: line.pk for line in order.lines.all()}


def ask(order, key="return-key-0001", *, bread=0, apron=0, reason="not_needed", details=""):
    ids = lines_of(order)
    return operations.request_return(
        order,
        key=key,
        lines=[(ids["Bread"], bread), (ids["Apron"], apron)],
        reason=reason,
        details=details,
    )


def snapshot() -> tuple:
    return (
        list(ReturnRequest.objects.order_by("pk").values_list("pk", "state", "decided_at")),
        list(
            ReturnLine.objects.order_by("pk").values_list(
                "quantity", "quantity_accepted", "restock"
            )
        ),
        list(Stock.objects.order_by("sku__code").values_list("on_hand", "reserved")),
        ModelLogEntry.objects.count(),
        len(mail.outbox),
    )


def test_a_buyer_asks_for_a_return_from_their_order_page(client, shop):
    order = sent(shop, language="en")
    page = f"/en/orders/{order.access_token}/"
    assert f'href="/en/orders/{order.access_token}/return/"' in client.get(page).text

    form = client.get(f"{page}return/")
    assert form.status_code == 200
    assert form["Cache-Control"].startswith("max-age=0")
    ids = lines_of(order)
    response = client.post(
        f"{page}return/",
        {
            "key": form.context["form"]["key"].value(),
            f"line_{ids['Bread']}": "1",
            f"line_{ids['Apron']}": "0",
            "reason": "damaged",
            "details": "The crust was crushed.",
        },
    )
    assert (response.status_code, response["Location"]) == (303, f"{page}#returns")
    request = ReturnRequest.objects.get()
    assert (request.state, request.reason, request.details) == (
        State.REQUESTED,
        "damaged",
        "The crust was crushed.",
    )
    assert list(request.lines.values_list("order_line__description", "quantity")) == [("Bread", 1)]
    status = client.get(page).text
    assert "Bread: " not in status and "1 × Bread" in status
    assert ModelLogEntry.objects.get(action="bridgework.return_requested").user is None


def test_the_return_link_is_in_the_shipped_e_mail(shop):
    order = sent(shop, language="en")
    send_order_email(order, kind="shipped")
    assert mail.outbox[0].body.endswith(
        f"To return items: http://localhost/en/orders/{order.access_token}/return/\n"
    )


def test_a_resent_form_makes_one_request(shop):
    order = sent(shop)
    first = ask(order, bread=1)
    assert ask(order, bread=2).pk == first.pk
    assert ReturnLine.objects.get().quantity == 1


def test_the_window_counts_from_delivery_or_else_from_shipping(shop):
    ShopSettings.objects.update(return_window_days=30)
    delivered = sent(shop, "BW-2026-0001", shipped_days_ago=40, delivered_days_ago=29)
    assert ask(delivered, "key-delivered-0001", bread=1).state == State.REQUESTED
    never_delivered = sent(shop, "BW-2026-0002", shipped_days_ago=29, delivered_days_ago=None)
    assert ask(never_delivered, "key-shipped-00001", bread=1).state == State.REQUESTED


@pytest.mark.parametrize(
    ("shipped", "delivered"), [(40, 31), (31, None)], ids=["delivered", "shipped"]
)
def test_outside_the_window_a_return_is_refused_in_words(client, shop, shipped, delivered):
    order = sent(shop, shipped_days_ago=shipped, delivered_days_ago=delivered, language="en")
    before = snapshot()
    message = (
        "The 30 days to ask for a return of order BW-2026-0001 have passed. Write to us if "
        "something is wrong with it."
    )
    with pytest.raises(ValidationError) as refused:
        ask(order, bread=1)
    assert refused.value.messages == [message]
    page = client.get(f"/en/orders/{order.access_token}/return/")
    assert message in page.text and "<form" not in page.text.split("<main")[-1]
    response = client.post(
        f"/en/orders/{order.access_token}/return/",
        {"key": "return-key-0002", f"line_{lines_of(order)['Bread']}": "1", "reason": "other"},
    )
    assert response.status_code == 400
    assert snapshot() == before
    assert "Return items of this order" not in client.get(f"/en/orders/{order.access_token}/").text


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("paid", "Order BW-2026-0001 is paid: a return can be asked once it has been sent."),
        (
            "cancelled",
            "Order BW-2026-0001 is cancelled: a return can be asked once it has been sent.",
        ),
    ],
)
def test_an_order_not_sent_takes_no_return(shop, status, message):
    order = build_order(shop)
    now = timezone.now()
    Order.objects.filter(pk=order.pk).update(
        status=status,
        paid_at=now if status == "paid" else None,
        cancelled_at=now if status == "cancelled" else None,
    )
    order.refresh_from_db()
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        ask(order, bread=1)
    assert refused.value.messages == [message]
    assert snapshot() == before


def test_no_more_than_was_bought_less_what_earlier_returns_claim(shop, packer):
    order = sent(shop)  # 2 bread, 1 apron
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        ask(order, bread=3)
    assert refused.value.messages == ["You can return at most 2 × Bread (asked: 3)."]
    assert snapshot() == before

    first = ask(order, "return-key-0001", bread=1)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        ask(order, "return-key-0002", bread=2)
    assert refused.value.messages == ["You can return at most 1 × Bread (asked: 2)."]
    assert snapshot() == before

    operations.refuse_return(first, user=packer, reason="Bread is not taken back.")
    assert ask(order, "return-key-0003", bread=2).lines.get().quantity == 2  # refused: freed


def test_nothing_chosen_or_another_reason_without_words_is_refused(shop):
    order = sent(shop)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        ask(order)
    assert refused.value.messages == ["Choose at least one item to return and how many."]
    with pytest.raises(ValidationError) as refused:
        ask(order, bread=1, reason="other", details="  ")
    assert refused.value.messages == ["Tell us in a few words why you return the items."]
    assert snapshot() == before


def test_the_form_shows_an_error_summary_and_changes_nothing(client, shop):
    order = sent(shop, language="en")
    before = snapshot()
    response = client.post(
        f"/en/orders/{order.access_token}/return/",
        {"key": "return-key-0009", f"line_{lines_of(order)['Bread']}": "5"},
    )
    assert response.status_code == 400
    assert 'class="error-summary" role="alert"' in response.text
    assert "Your return was not sent" in response.text
    assert 'href="#id_reason_0">Why you return them: This field is required.' in response.text
    assert snapshot() == before


def test_accepting_records_what_the_refund_pays_back_and_restocks(
    shop, packer, django_capture_on_commit_callbacks
):
    order = sent(shop, language="en", quantities=(2, 1))
    request = ask(order, bread=2, apron=1, reason="damaged")
    ids = lines_of(order)
    stock_before = snapshot()[2]
    with django_capture_on_commit_callbacks(execute=True):
        operations.accept_return(
            request, user=packer, lines=[(ids["Bread"], 1, False), (ids["Apron"], 1, True)]
        )
    request.refresh_from_db()
    assert (request.state, request.decided_by) == (State.ACCEPTED, packer)
    assert operations.refund_lines(request) == [(ids["Bread"], 1, False), (ids["Apron"], 1, True)]
    assert snapshot()[2] == stock_before  # the refund restocks, not the acceptance
    [message] = mail.outbox
    assert message.subject == "Your return for order BW-2026-0001 is accepted"
    assert message.body == (
        "Hello Camille Martin,\n\n"
        "We accept the return of these items of order BW-2026-0001:\n"
        "1 × Bread\n"
        "1 × Apron\n\n"
        "Please send them back to this address, with your order number BW-2026-0001:\n"
        "Bridgework\n"
        "1 Quai du Port\n13002 Marseille\n\n"
        "We refund the items accepted to you, and tell you when it is done.\n\n"
        f"Your order and its progress: http://localhost/en/orders/{order.access_token}/\n"
    )
    assert ModelLogEntry.objects.get(action="bridgework.return_accepted").data == {
        "lines": [[ids["Bread"], 1, False], [ids["Apron"], 1, True]]
    }
    before = snapshot()
    operations.accept_return(request, user=packer, lines=[(ids["Bread"], 2, True)])
    assert snapshot() == before  # a second click


def test_a_line_not_named_is_accepted_with_none_and_restock_needs_units(shop, packer):
    order = sent(shop)
    request = ask(order, bread=2, apron=1)
    ids = lines_of(order)
    operations.accept_return(request, user=packer, lines=[(ids["Bread"], 2, True)])
    assert operations.refund_lines(request) == [(ids["Bread"], 2, True)]
    assert list(
        request.lines.order_by("order_line").values_list("quantity_accepted", "restock")
    ) == [
        (2, True),
        (0, False),
    ]


@pytest.mark.parametrize(
    ("decided", "message"),
    [
        ([("Bread", 3, True)], "Accept from 0 to 2 × Bread."),
        ([("Bread", 0, True)], "Accept at least one item, or refuse the return and say why."),
        ([("Apron", 1, True)], "Accept only items the buyer asked to return."),
    ],
)
def test_accepting_more_than_asked_none_or_another_line_is_refused(shop, packer, decided, message):
    order = sent(shop)
    request = ask(order, bread=2)
    ids = lines_of(order)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        operations.accept_return(
            request, user=packer, lines=[(ids[item], n, restock) for item, n, restock in decided]
        )
    assert refused.value.messages == [message]
    assert snapshot() == before


def test_refusing_needs_a_reason_and_tells_the_buyer_in_their_language(
    shop, packer, django_capture_on_commit_callbacks
):
    order = sent(shop, language="fr")
    request = ask(order, bread=1)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        operations.refuse_return(request, user=packer, reason="   ")
    assert refused.value.messages == ["Say why the return is refused: the buyer is told."]
    assert snapshot() == before

    with django_capture_on_commit_callbacks(execute=True):
        operations.refuse_return(request, user=packer, reason="Opened food is not taken back.")
    request.refresh_from_db()
    assert (request.state, request.refusal_reason) == (
        State.REFUSED,
        "Opened food is not taken back.",
    )
    [message] = mail.outbox
    assert message.body.startswith("Bonjour Camille Martin,\n")
    assert "Opened food is not taken back." in message.body
    assert f"http://localhost/fr/orders/{order.access_token}/" in message.body

    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        operations.accept_return(request, user=packer, lines=[(lines_of(order)["Bread"], 1, True)])
    assert refused.value.messages == [
        f"Return {request.pk} of order BW-2026-0001 is refused: it cannot be accepted."
    ]
    assert snapshot() == before


def test_deciding_needs_the_permission(shop):
    order = sent(shop)
    request = ask(order, bread=1)
    nobody = staff("nobody", "catalogue.view_returnrequest")
    before = snapshot()
    with pytest.raises(PermissionDenied, match=r"You may not decide returns\."):
        operations.accept_return(request, user=nobody, lines=[(lines_of(order)["Bread"], 1, True)])
    with pytest.raises(PermissionDenied):
        operations.refuse_return(request, user=nobody, reason="no")
    assert snapshot() == before


def test_an_accepted_return_is_marked_refunded_once(shop, packer):
    order = sent(shop)
    request = ask(order, bread=1)
    with pytest.raises(ValidationError):
        operations.mark_refunded(request, user=packer)
    operations.accept_return(request, user=packer, lines=[(lines_of(order)["Bread"], 1, True)])
    operations.mark_refunded(request, user=packer)
    request.refresh_from_db()
    assert request.state == State.REFUNDED and request.refunded_at is not None


def test_staff_see_returns_by_state_and_accept_one_on_its_page(
    client, shop, packer, django_capture_on_commit_callbacks
):
    order = sent(shop, language="en")
    request = ask(order, bread=2, apron=1, details="Too many.")
    ids = lines_of(order)
    signed_in(client, packer)

    listing = client.get(RETURNS + "?state=requested")
    assert [row[1] for row in table(listing.text)] == ["BW-2026-0001"]
    assert table(client.get(RETURNS + "?state=refused").text) == []

    page = client.get(f"{RETURNS}inspect/{request.pk}/")
    assert page.status_code == 200
    assert table(page.text, "return-lines") == [
        ["Bread", "BREAD", "2", "2", "—", "—", "€12.00"],
        ["Apron", "APRON", "1", "1", "—", "—", "€30.50"],
    ]
    assert f'href="/admin/catalogue/order/inspect/{order.pk}/"' in page.text
    assert f'action="{RETURNS}{request.pk}/accept/"' in page.text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{RETURNS}{request.pk}/accept/",
            {
                f"accept-quantity_{ids['Bread']}": "2",
                f"accept-restock_{ids['Bread']}": "on",
                f"accept-quantity_{ids['Apron']}": "1",
            },
            follow=True,
        )
    assert shown(response) == [
        "Return accepted: the buyer is told by e-mail.",
        "Someone who may refund orders makes the refund.",  # a packer who may not refund
    ]
    assert table(response.text, "return-lines") == [
        ["Bread", "BREAD", "2", "2", "2", "Yes", "€12.00"],
        ["Apron", "APRON", "1", "1", "1", "No", "€30.50"],
    ]
    assert "accept/" not in response.text.split('id="return-summary"')[-1]
    assert len(mail.outbox) == 1


def test_refusing_on_the_page_without_a_reason_changes_nothing(client, shop, packer):
    request = ask(sent(shop), bread=1)
    signed_in(client, packer)
    before = snapshot()
    response = client.post(f"{RETURNS}{request.pk}/refuse/", {"refuse-reason": ""}, follow=True)
    assert shown(response) == ["Why it is refused: This field is required."]
    assert snapshot() == before


def test_auditors_read_returns_but_cannot_decide(client, shop):
    request = ask(sent(shop), bread=1)
    auditor = auditor_staff()
    auditor.user_permissions.add(
        *type(auditor).user_permissions.field.related_model.objects.filter(
            codename="view_returnrequest"
        )
    )
    signed_in(client, type(auditor).objects.get(pk=auditor.pk))
    page = client.get(f"{RETURNS}inspect/{request.pk}/")
    assert page.status_code == 200 and "accept/" not in page.text
    before = snapshot()
    response = client.post(f"{RETURNS}{request.pk}/refuse/", {"refuse-reason": "no"})
    assert response.status_code == 302 and snapshot() == before
