"""``charge.refunded``: a refund made in Stripe's own dashboard is recorded here as if it had been
made in the back office (a credit note, its journal), once.

Stripe sends the refunded Charge. Its PaymentIntent is the order's ``provider_payment_id``
(kept when the Checkout Session completed). When the event lists the charge's refunds, each is
recorded under its own id (``record_provider_refund`` is idempotent on it, and a refund made
here already stored its id); when it does not (API versions since 2022-11 leave them out), the
difference between the charge's ``amount_refunded`` and what is recorded is the new refund, under
an id made of the charge and that running total, so a replay changes nothing either.
"""

import datetime
import logging

from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money

from catalogue.cards.amounts import from_minor_units
from catalogue.cards.events import Handled, handles
from catalogue.models import Order
from catalogue.refunds.operations import record_provider_refund, refundable

logger = logging.getLogger(__name__)


def _order_of(charge: dict) -> Order | None:
    intent = charge.get("payment_intent") or ""
    number = (charge.get("metadata") or {}).get("order") or ""
    if intent and (order := Order.objects.filter(provider_payment_id=intent).first()):
        return order
    if number:
        return Order.objects.filter(number=number, payment_method="card").first()
    return None


def _refunds_of(charge: dict, order: Order, currency: str) -> list[tuple[str, Money]]:
    """``(provider refund id, amount)`` of each refund the charge carries, or of the one refund
    its running total adds to what is recorded."""
    refunds = charge.get("refunds")
    if isinstance(refunds, dict) and isinstance(refunds.get("data"), list):
        return [
            (str(refund["id"]), from_minor_units(int(refund.get("amount") or 0), currency))
            for refund in refunds["data"]
            if refund.get("status") not in {"failed", "canceled"}
        ]
    refunded = from_minor_units(int(charge.get("amount_refunded") or 0), currency)
    missing = refunded - (order.total - refundable(order))
    if missing.amount <= 0:
        return []
    return [(f"{charge.get('id')}:{charge.get('amount_refunded')}", missing)]


def _day(event: dict) -> datetime.date:
    created = event.get("created")
    if not created:
        return timezone.localdate()
    return timezone.localdate(datetime.datetime.fromtimestamp(int(created), tz=datetime.UTC))


@handles("charge.refunded")
def charge_refunded(event: dict) -> Handled:
    charge = event["data"]["object"]
    order = _order_of(charge)
    if order is None:
        logger.warning("charge.refunded for no order of ours: %s", charge.get("id"))
        return Handled(_("no order has this payment"))
    currency = str(charge.get("currency") or order.currency).upper()
    made = [
        refund
        for provider_id, amount in _refunds_of(charge, order, currency)
        if (
            refund := record_provider_refund(
                order, provider_refund_id=provider_id, amount=amount, on=_day(event)
            )
        )
        is not None
    ]
    if not made:
        return Handled(_("refunds already recorded"), order)
    return Handled(
        _("refunds recorded from the card provider: %(count)s") % {"count": len(made)}, order
    )
