"""Returns' operations (the lifecycle is in ``catalogue.models.returns``):

    request_return(order, *, key, lines, reason, details="", now=None) -> ReturnRequest
        lines: [(order_line_id, quantity), ...]
    accept_return(return_request, *, user, lines) -> ReturnRequest
        lines: [(order_line_id, quantity_accepted, restock), ...]
    refuse_return(return_request, *, user, reason) -> ReturnRequest
    mark_refunded(return_request, *, user) -> ReturnRequest
    refund_lines(return_request) -> [(order_line_id, quantity, restock), ...]
    returnable(order) -> dict[order_line_id, units still returnable]
    refusal(order, *, now=None) -> why it takes no return now, or None

**Asking** needs no permission: the order's access token is the buyer's key, checked by the view.
It is open while the order is shipped or delivered and within ``ShopSettings.return_window_days``
of its delivery (of its shipping, when delivery was never recorded), for at most the units bought
less those earlier returns still claim (a refused return claims none; an accepted one what was
accepted). **Deciding** needs ``catalogue.decide_return`` (order fulfilment). Each operation locks
the order row, then the return's, in one transaction, writes the audit log and queues the buyer's
e-mail after the commit; a refusal is a ``ValidationError`` in words and changes nothing. A second
click on a decision already taken changes nothing.

Accepting moves no stock and no money: it records what the refund pays back and restocks
(``refund_lines``), so the refund operation is the one place both happen.
"""

import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, IntegerField, Sum, When
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from catalogue.models import Order, ReturnLine, ReturnRequest, ShopSettings
from catalogue.returns.emails import send_return_email

State = ReturnRequest.State
DECIDE = "catalogue.decide_return"
RETURNABLE_STATUSES = (Order.Status.SHIPPED, Order.Status.DELIVERED)


def require_permission(user) -> None:
    if user is None or not user.has_perm(DECIDE):
        raise PermissionDenied(_("You may not decide returns."))


def window_closes(order: Order) -> datetime.datetime | None:
    """The moment the return window of ``order`` closes; None before it is shipped."""
    start = order.delivered_at or order.shipped_at
    if start is None:
        return None
    return start + datetime.timedelta(days=ShopSettings.load().return_window_days)


def _claimed(order: Order) -> dict[int, int]:
    """Units of each order line that earlier returns claim: all asked while requested, those
    accepted once decided, none of a refused one."""
    claimed = (
        ReturnLine.objects.filter(request__order=order)
        .exclude(request__state=State.REFUSED)
        .values("order_line")
        .annotate(
            units=Sum(
                Case(
                    When(request__state=State.REQUESTED, then=F("quantity")),
                    default=F("quantity_accepted"),
                    output_field=IntegerField(),
                )
            )
        )
    )
    return {row["order_line"]: row["units"] or 0 for row in claimed}


def returnable(order: Order) -> dict[int, int]:
    """Per order line id, how many units may still be asked back."""
    claimed = _claimed(order)
    return {line.pk: line.quantity - claimed.get(line.pk, 0) for line in order.lines.all()}


def refusal(order: Order, *, now: datetime.datetime | None = None) -> str | None:
    """Why ``order`` takes no return now, in words; None when it does."""
    now = now or timezone.now()
    if order.status not in RETURNABLE_STATUSES:
        return _("Order %(number)s is %(status)s: a return can be asked once it has been sent.") % {
            "number": order.number,
            "status": order.get_status_display(),
        }
    closes = window_closes(order)
    if now > closes:
        days = ShopSettings.load().return_window_days
        return _(
            "The %(days)s days to ask for a return of order %(number)s have passed. Write to us "
            "if something is wrong with it."
        ) % {"days": days, "number": order.number}
    return None


def _asked_lines(order: Order, lines) -> dict[int, int]:
    asked: dict[int, int] = {}
    for line_id, quantity in lines:
        if not isinstance(quantity, int) or quantity < 0:
            raise ValidationError(_("Give each quantity as a whole number, 0 or more."))
        if quantity:
            asked[int(line_id)] = asked.get(int(line_id), 0) + quantity
    if not asked:
        raise ValidationError(_("Choose at least one item to return and how many."))
    left = returnable(order)
    descriptions = dict(order.lines.values_list("pk", "description"))
    for line_id, quantity in asked.items():
        if line_id not in left:
            raise ValidationError(_("Choose items of this order only."))
        if quantity > left[line_id]:
            raise ValidationError(
                _("You can return at most %(left)s × %(item)s (asked: %(asked)s).")
                % {"left": left[line_id], "item": descriptions[line_id], "asked": quantity}
            )
    return asked


@transaction.atomic
def request_return(
    order: Order,
    *,
    key: str,
    lines: Sequence[tuple[int, int]],
    reason: str,
    details: str = "",
    now: datetime.datetime | None = None,
) -> ReturnRequest:
    """The buyer asks to return ``lines`` of ``order`` (``(order_line_id, quantity)``), for
    ``reason`` (a ``ReturnRequest.Reason``; "other" needs ``details``). Idempotent on ``key``
    (the form's): a resent form returns the first request."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if (earlier := ReturnRequest.objects.filter(key=key).first()) is not None:
        if earlier.order_id != order.pk:
            raise ValidationError(_("This form was used already. Open the return page again."))
        return earlier
    if (why := refusal(order, now=now)) is not None:
        raise ValidationError(why)
    if reason not in ReturnRequest.Reason.values:
        raise ValidationError(_("Choose why you return the items."))
    details = details.strip()
    if reason == ReturnRequest.Reason.OTHER and not details:
        raise ValidationError(_("Tell us in a few words why you return the items."))
    if len(details) > 1000:
        raise ValidationError(_("Say why in at most 1,000 characters."))
    asked = _asked_lines(order, lines)
    return_request = ReturnRequest.objects.create(
        order=order, key=key, reason=reason, details=details
    )
    ReturnLine.objects.bulk_create(
        ReturnLine(request=return_request, order_line_id=line_id, quantity=quantity)
        for line_id, quantity in sorted(asked.items())
    )
    log(return_request, "bridgework.return_requested", data={"order": order.number})
    return return_request


def _locked(return_request: ReturnRequest) -> ReturnRequest:
    Order.objects.select_for_update().get(pk=return_request.order_id)
    return (
        ReturnRequest.objects.select_for_update().select_related("order").get(pk=return_request.pk)
    )


def _refuse_state(return_request: ReturnRequest, *, step: str) -> None:
    raise ValidationError(
        _("Return %(id)s of order %(number)s is %(state)s: it cannot be %(step)s.")
        % {
            "id": return_request.pk,
            "number": return_request.order.number,
            "state": return_request.get_state_display(),
            "step": step,
        }
    )


def _email_after_commit(return_request: ReturnRequest, kind: str) -> None:
    transaction.on_commit(lambda: send_return_email(return_request, kind=kind))


@transaction.atomic
def accept_return(
    return_request: ReturnRequest, *, user, lines: Sequence[tuple[int, int, bool]]
) -> ReturnRequest:
    """Take back, per order line of the return, ``quantity_accepted`` units (0 to what was
    asked) and say whether they go back in stock: ``(order_line_id, quantity_accepted,
    restock)``; a line not named is accepted with 0. At least one unit: to take back none,
    refuse the return with a reason."""
    require_permission(user)
    return_request = _locked(return_request)
    if return_request.state == State.ACCEPTED:
        return return_request  # a second click
    if return_request.state != State.REQUESTED:
        _refuse_state(return_request, step=_("accepted"))
    return_lines = {line.order_line_id: line for line in return_request.lines.all()}
    decided: dict[int, tuple[int, bool]] = {}
    for line_id, quantity, restock in lines:
        line = return_lines.get(int(line_id))
        if line is None:
            raise ValidationError(_("Accept only items the buyer asked to return."))
        if not isinstance(quantity, int) or not 0 <= quantity <= line.quantity:
            raise ValidationError(
                _("Accept from 0 to %(asked)s × %(item)s.")
                % {"asked": line.quantity, "item": line.order_line.description}
            )
        decided[line.order_line_id] = (quantity, bool(restock) and quantity > 0)
    if sum(quantity for quantity, _restock in decided.values()) == 0:
        raise ValidationError(_("Accept at least one item, or refuse the return and say why."))
    for line_id, line in return_lines.items():
        line.quantity_accepted, line.restock = decided.get(line_id, (0, False))
    ReturnLine.objects.bulk_update(return_lines.values(), ["quantity_accepted", "restock"])
    return_request.state, return_request.decided_at = State.ACCEPTED, timezone.now()
    return_request.decided_by = user
    return_request.save(update_fields=["state", "decided_at", "decided_by"])
    log(
        return_request,
        "bridgework.return_accepted",
        user=user,
        data={"lines": [list(line) for line in refund_lines(return_request)]},
    )
    _email_after_commit(return_request, "accepted")
    return return_request


@transaction.atomic
def refuse_return(return_request: ReturnRequest, *, user, reason: str) -> ReturnRequest:
    """Refuse the return; ``reason`` is required and told to the buyer."""
    require_permission(user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the return is refused: the buyer is told."))
    if len(reason) > 500:
        raise ValidationError(_("Say why in at most 500 characters."))
    return_request = _locked(return_request)
    if return_request.state == State.REFUSED:
        return return_request  # a second click
    if return_request.state != State.REQUESTED:
        _refuse_state(return_request, step=_("refused"))
    return_request.state, return_request.decided_at = State.REFUSED, timezone.now()
    return_request.decided_by, return_request.refusal_reason = user, reason
    return_request.save(update_fields=["state", "decided_at", "decided_by", "refusal_reason"])
    log(return_request, "bridgework.return_refused", user=user, data={"reason": reason})
    _email_after_commit(return_request, "refused")
    return return_request


@transaction.atomic
def mark_refunded(return_request: ReturnRequest, *, user, refund=None) -> ReturnRequest:
    """An accepted return has been refunded (``catalogue.returns.refunding``: by
    ``catalogue.refunds`` with ``refund_lines``), by ``refund``."""
    require_permission(user)
    return_request = _locked(return_request)
    if return_request.state == State.REFUNDED:
        return return_request
    if return_request.state != State.ACCEPTED:
        _refuse_state(return_request, step=_("refunded"))
    return_request.state, return_request.refunded_at = State.REFUNDED, timezone.now()
    return_request.refund = refund
    return_request.save(update_fields=["state", "refunded_at", "refund"])
    log(
        return_request,
        "bridgework.return_refunded",
        user=user,
        data={"credit_note": refund.credit_note.number} if refund is not None else {},
    )
    return return_request


def refund_lines(return_request: ReturnRequest) -> list[tuple[int, int, bool]]:
    """What the refund of an accepted return pays back and restocks: ``(order_line_id,
    quantity, restock)`` per line with units accepted, by order line; empty before acceptance."""
    return [
        (line_id, quantity, restock)
        for line_id, quantity, restock in ReturnLine.objects.filter(
            request=return_request, quantity_accepted__gt=0
        )
        .order_by("order_line_id")
        .values_list("order_line_id", "quantity_accepted", "restock")
    ]
