"""Recording money received for back wages (``wages.models.back_wages`` says what it is for).

    record_back_wages_receipt(*, payer, amount, on, source, key, user) -> BackWagesReceipt
        ``payer`` "own" or "partner:<id>"; idempotent on ``key`` (the same key with another
        payer or amount is refused); a receipt dated in the future or of nothing is refused

The administration's receipts are recorded by finance officers; a partner's by paying its labour
invoice (``wages.invoices``), with the invoice's key.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from wages.models import BackWagesReceipt

RECORD = "wages.add_backwagesreceipt"


@transaction.atomic
def record_back_wages_receipt(
    *,
    payer: str,
    amount: Decimal,
    on: datetime.date,
    source: str,
    key: str,
    user,
    currency: str | None = None,
    check_permission: bool = True,
) -> BackWagesReceipt:
    """``check_permission`` False only for an operation that checked its own permission (paying
    a labour invoice records the back wages it carried)."""
    if check_permission and (user is None or not user.has_perm(RECORD)):
        raise PermissionDenied(_("You may not record money received for back wages."))
    currency = currency or settings.BRIDGEWORK_CURRENCY
    earlier = BackWagesReceipt.objects.filter(key=key).first()
    if earlier is not None:
        if (earlier.payer, earlier.amount, earlier.currency) != (payer, amount, currency):
            raise ValidationError(
                _("Receipt %(key)s was recorded before with another payer or amount.")
                % {"key": key}
            )
        return earlier
    if amount <= 0:
        raise ValidationError(_("A receipt for back wages is of more than zero."))
    if on > timezone.localdate():
        raise ValidationError(_("Money cannot be received on a day still to come."))
    try:
        with transaction.atomic():
            receipt = BackWagesReceipt.objects.create(
                key=key,
                payer=payer,
                amount=amount,
                currency=currency,
                received_on=on,
                source=source,
                recorded_by=user,
            )
    except IntegrityError:  # the same key recorded at this moment by another caller
        return BackWagesReceipt.objects.get(key=key)
    log(receipt, "wagtail.create", user=user)
    return receipt
