"""A card order paid on invoice instead: the buyer's choice on the card payment's cancel page.

    switch_to_invoice(*, order) -> Order

The buyer holds the order's access token; no permission is asked. In one transaction on the
order's row: the order's payment method becomes ``invoice``, its stock is held as long as an
order on invoice holds it (``InvoicePayment.hold``), and its open card attempts are marked
replaced. After the commit, as ``InvoicePayment.placed`` does for a new order: the invoice is
issued, its journal posted and the confirmation e-mailed; the replaced sessions are closed at
Stripe so an old payment page cannot take money too. Switching again changes nothing.
"""

from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from catalogue.cards.sessions import CardPaymentRefused, expire_sessions, refusal_for
from catalogue.checkout import payments
from catalogue.models import CardCheckout, Order, ShopSettings
from workshops.inventory import ReservationExpired, extend

State = CardCheckout.State


@transaction.atomic
def _switch(order: Order) -> tuple[Order, list[str]]:
    order = Order.objects.select_for_update().select_related("reservation").get(pk=order.pk)
    if order.payment_method == payments.DEFAULT:
        return order, []
    if problem := refusal_for(order):
        raise CardPaymentRefused(problem, code="not_payable")
    invoice = payments.registered(payments.DEFAULT)
    try:
        extend(order.reservation, expires_at=invoice.hold(timezone.now(), ShopSettings.load()))
    except ReservationExpired:
        raise CardPaymentRefused(
            _(
                "The time to pay for order %(number)s ran out and its products were released: "
                "order them again."
            )
            % {"number": order.number},
            code="hold_over",
        ) from None
    order.payment_method = invoice.code
    order.save(update_fields=["payment_method"])
    open_attempts = list(
        order.card_checkouts.select_for_update().filter(state__in=[State.OPEN, State.PENDING])
    )
    CardCheckout.objects.filter(pk__in=[a.pk for a in open_attempts]).update(state=State.REPLACED)
    log(order, "bridgework.order_payment_switched", data={"to": invoice.code})
    transaction.on_commit(partial(invoice.placed, order), robust=True)
    return order, [a.session_id for a in open_attempts if a.session_id]


def switch_to_invoice(*, order: Order) -> Order:
    order, replaced = _switch(order)
    expire_sessions(replaced)
    return order
