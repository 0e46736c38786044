"""The inventory operations' keys (``workshops/models/inventory.py``, "Keys"): checked, claimed
in the table where the operation looks them up, and compared with what the first call did.

An operation claims its key after locking its stock rows and before any refusal that depends on
stock, by inserting the key's row in a savepoint. A second call with the same key at the same
moment (on other stock rows, so not waiting on the same locks) makes PostgreSQL hold its insert
until the first commits or rolls back: then the insert fails and the first call's row is visible,
or it succeeds. So the answer to a key used before is always the replay of the first call or
``KeyReused``, never a second effect or a database error. No deadlock can come of it: a call
claims its key only once it holds every stock row it locks, and after claiming it waits on none.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from workshops.models import StockChange, StockMovement
from workshops.models.inventory import MAX_KEY_LENGTH

Kind = StockMovement.Kind


class KeyReused(ValidationError):
    """The key was used before for a different operation or different arguments."""


def checked_key(key) -> str:
    if not isinstance(key, str) or not key.strip() or len(key) > MAX_KEY_LENGTH:
        raise ValidationError(
            _("An operation key is text of 1 to %(max)s characters.") % {"max": MAX_KEY_LENGTH}
        )
    return key


def claimed(model, key: str, **fields):
    """A new row of ``model`` (a table of keys: ``Batch``, ``Reservation``, ``StockChange``)
    under ``key``, or None when the key is another call's."""
    try:
        with transaction.atomic():  # a savepoint: the key may be taken at this moment
            return model.objects.create(key=key, **fields)
    except IntegrityError:
        if model.objects.filter(key=key).exists():
            return None
        raise


def _line(movement: StockMovement) -> tuple:
    """What a replay must repeat of a return's, write-off's or count's movement."""
    if movement.kind == Kind.COUNTED:
        return (movement.kind, movement.stock.sku_id, movement.counted, movement.reason)
    text = movement.source if movement.kind == Kind.RETURNED else movement.reason
    return (movement.kind, movement.stock.sku_id, abs(movement.on_hand_change), text)


def claim_change(
    kind: str, key: str, lines: list[tuple], *, reused: str
) -> tuple[StockChange | None, list[StockMovement]]:
    """``(change, [])`` with ``key`` claimed for a new change, or ``(None, movements)``: those
    of the first call with ``key``, which asked for the same ``lines`` (``(movement kind,
    sku id, quantity or count, source or reason)``). ``KeyReused`` with the message ``reused``
    when the first call asked for something else."""
    earlier = StockChange.objects.filter(key=key).first()
    if earlier is None:
        if (change := claimed(StockChange, key, kind=kind)) is not None:
            return change, []
        earlier = StockChange.objects.get(key=key)
    movements = list(earlier.movements.select_related("stock__sku").order_by("stock__sku_id"))
    if earlier.kind != kind or sorted(map(_line, movements)) != sorted(lines):
        raise KeyReused(reused % {"key": key})
    return None, movements
