"""Finished batches received into stock: ``receive_batch``, for the workshops the user supervises."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.formatting import format_day
from workshops.access import supervised_workshops
from workshops.inventory.keys import KeyReused, checked_key, claimed
from workshops.inventory.stock import Kind, _lock_stock, _move, _quantity, _sku_id
from workshops.models import SKU, Batch


def _check_batch_dates(made_from, made_to, received_on, today) -> list[str]:
    problems = []
    if made_from > made_to:
        problems.append(_("The batch's first day comes after its last day."))
    if made_to > today:
        problems.append(_("A batch cannot be made in the future."))
    if received_on < made_to:
        problems.append(_("A batch is received on or after its last day of making."))
    if received_on > today:
        problems.append(_("A batch cannot be received in the future."))
    return problems


@transaction.atomic
def receive_batch(
    *,
    sku: SKU,
    quantity: int,
    made_from: datetime.date,
    made_to: datetime.date,
    user,
    key: str,
    received_on: datetime.date | None = None,
) -> Batch:
    """Record a finished batch of one of ``user``'s workshops' SKUs and put it on hand."""
    today = timezone.localdate()
    received_on = received_on or today
    quantity = _quantity(quantity, label=_("The quantity"))
    key = checked_key(key)
    sku = SKU.objects.select_related("workshop").get(pk=_sku_id(sku))
    if not supervised_workshops(user, today).filter(pk=sku.workshop_id).exists():
        raise ValidationError(
            _("%(sku)s is made by %(workshop)s, which you do not supervise.")
            % {"sku": sku.code, "workshop": sku.workshop}
        )
    problems = _check_batch_dates(made_from, made_to, received_on, today)
    if problems:
        raise ValidationError(problems)
    stock = _lock_stock([sku.pk])[sku.pk]  # one batch of a SKU at a time: the overlap check holds
    asked = (sku.pk, quantity, made_from, made_to, received_on)
    if earlier := Batch.objects.filter(key=key).first():
        return _replayed_batch(earlier, asked)
    overlapping = Batch.objects.filter(sku=sku, made_from__lte=made_to, made_to__gte=made_from)
    if clash := overlapping.first():
        raise ValidationError(
            _(
                "A batch of %(sku)s made from %(start)s to %(end)s overlaps these dates: "
                "batches of one SKU never overlap."
            )
            % {
                "sku": sku.code,
                "start": format_day(clash.made_from),
                "end": format_day(clash.made_to),
            }
        )
    batch = claimed(
        Batch,
        key,
        sku=sku,
        quantity=quantity,
        made_from=made_from,
        made_to=made_to,
        received_on=received_on,
        recorded_by=user,
    )
    if batch is None:  # a batch of another SKU took the key at this moment
        return _replayed_batch(Batch.objects.get(key=key), asked)
    _move(stock, Kind.RECEIVED, key=f"batch:{key}", on_hand=quantity, batch=batch, user=user)
    log(batch, "bridgework.batch_received", user=user)
    return batch


def _replayed_batch(earlier: Batch, asked: tuple) -> Batch:
    made = (earlier.sku_id, earlier.quantity, earlier.made_from, earlier.made_to)
    if (*made, earlier.received_on) != asked:
        raise KeyReused(
            _("The key %(key)s was already used for another batch.") % {"key": earlier.key}
        )
    return earlier
