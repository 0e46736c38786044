"""An accepted return leads to its refund (issue 21, "Returns"): the units accepted, put back in
stock or not as staff decided, refunded through ``catalogue.refunds.operations.refund_order`` and
the return marked refunded with its refund (and so its credit note).

``refund_return`` runs outside any transaction: a card order's refund asks Stripe, which must
never happen under a lock. Its key is ``return:<id>:<attempt>``: a double click makes one refund,
and after a refund the provider refused (recorded as failed) the next attempt is a new one.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from catalogue.models import Refund, ReturnRequest
from catalogue.refunds.operations import refund_order
from catalogue.returns.operations import mark_refunded, refund_lines

State = ReturnRequest.State


def _key(return_request: ReturnRequest) -> str:
    failed = Refund.objects.filter(
        key__startswith=f"return:{return_request.pk}:", status=Refund.Status.FAILED
    ).count()
    return f"return:{return_request.pk}:{failed + 1}"


def refund_return(return_request: ReturnRequest, *, user) -> Refund:
    """Refund ``return_request``'s accepted units (the refund's own permission is checked by
    ``refund_order``); a return refunded already returns its refund."""
    return_request = ReturnRequest.objects.select_related("order", "refund").get(
        pk=return_request.pk
    )
    if return_request.state == State.REFUNDED and return_request.refund is not None:
        return return_request.refund
    if return_request.state != State.ACCEPTED:
        raise ValidationError(
            _("Return %(number)s is %(state)s: only an accepted return is refunded.")
            % {"number": return_request.pk, "state": return_request.get_state_display()}
        )
    lines = refund_lines(return_request)
    if not lines:
        raise ValidationError(_("No unit of this return was accepted: there is nothing to refund."))
    refund = refund_order(
        return_request.order,
        user=user,
        key=_key(return_request),
        reason=_("Return %(number)s") % {"number": return_request.pk},
        lines=lines,
    )
    if refund.status == Refund.Status.SUCCEEDED:
        mark_refunded(return_request, user=user, refund=refund)
    return refund
