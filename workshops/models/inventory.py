"""Finished batches and the finished-goods inventory (DESIGN.md, "Inventory").

A **batch** is one SKU, a quantity and the date range it was made in; batches of the same SKU never
overlap, so the production records behind a batch are those of its workshop, SKU and range, each
counted once. Receiving a batch puts its quantity on hand.

**Stock** is one row per SKU: ``on_hand`` and ``reserved``, with ``0 ≤ reserved ≤ on_hand`` as
database CHECKs. Every change appends a **movement** (never updated or deleted; on PostgreSQL a
trigger refuses both), so the movements of a SKU always sum to its stock row. A **reservation**
holds units of several SKUs for a while (a checkout); it is released, or sold, once. Change all of
it through ``workshops.inventory`` only.

**Keys.** Every operation takes a key, and each key is unique in the table where the operation
looks it up: a batch's in ``Batch.key``, a reservation's in ``Reservation.key``, and a return's,
write-off's, count's or stocktake's in ``StockChange.key`` (one namespace for the four, so a key
names one change whatever its kind). A movement's key is its operation's namespace, a colon, then
the operation's key (``reserve:checkout-1``, ``count:march``): the namespace never holds a colon,
so no key a caller chooses can reach another operation's movements, and it is unique per stock
row (a stocktake moves each SKU once). A key names what it did for good: on PostgreSQL a
``StockChange`` is append-only and a batch's or reservation's key never changes (triggers of
migration 0014), so no key is freed or rewritten to be replayed as something else.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from workshops.bounds import STOCK_ON_HAND, STOCK_QUANTITY

MAX_BATCH_QUANTITY = int(STOCK_QUANTITY.high)  # more than any workshop makes of one SKU at once
MAX_ON_HAND = int(STOCK_ON_HAND.high)
MAX_KEY_LENGTH = 80  # an operation's key; a movement's adds its namespace and a colon


class Batch(models.Model):
    sku = models.ForeignKey(
        "workshops.SKU", verbose_name=_("SKU"), on_delete=models.PROTECT, related_name="batches"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    made_from = models.DateField(_("made from"))
    made_to = models.DateField(_("made until"))
    received_on = models.DateField(_("received into stock on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    key = models.CharField(
        _("operation key"), max_length=MAX_KEY_LENGTH, unique=True, editable=False
    )

    class Meta:
        ordering = ["-made_to", "sku__code"]
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        indexes = [models.Index(fields=["sku", "made_from", "made_to"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(quantity__lte=MAX_BATCH_QUANTITY),
                name="batch_quantity_plausible",
                violation_error_message=_("A batch holds between 1 and 100,000 units."),
            ),
            models.CheckConstraint(
                condition=Q(made_from__lte=F("made_to")),
                name="batch_range_in_order",
                violation_error_message=_(
                    "A batch is made from a day until the same or a later day."
                ),
            ),
            models.CheckConstraint(
                condition=Q(received_on__gte=F("made_to")),
                name="batch_received_after_made",
                violation_error_message=_(
                    "A batch is received on or after its last day of making."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.sku.code} × {self.quantity} ({self.made_from} – {self.made_to})"


class Stock(models.Model):
    sku = models.OneToOneField(
        "workshops.SKU", verbose_name=_("SKU"), on_delete=models.PROTECT, related_name="stock"
    )
    on_hand = models.IntegerField(_("on hand"), default=0)
    reserved = models.IntegerField(_("reserved"), default=0)

    class Meta:
        ordering = ["sku__code"]
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        permissions = [("count_stock", _("Can count stock at a stocktake"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(reserved__gte=0),
                name="stock_reserved_not_negative",
                violation_error_message=_("Reserved stock cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(reserved__lte=F("on_hand")),
                name="stock_reserved_within_on_hand",
                violation_error_message=_("More cannot be reserved than is on hand."),
            ),
            models.CheckConstraint(
                condition=Q(on_hand__lte=MAX_ON_HAND),
                name="stock_on_hand_plausible",
                violation_error_message=_("Stock of one SKU is at most 1,000,000 units."),
            ),
        ]

    def __str__(self):
        return f"{self.sku.code}: {self.on_hand} ({self.reserved})"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class Reservation(models.Model):
    class State(models.TextChoices):
        ACTIVE = "active", _("active")
        RELEASED = "released", _("released")
        EXPIRED = "expired", _("expired and released")
        SOLD = "sold", _("sold")

    key = models.CharField(_("operation key"), max_length=MAX_KEY_LENGTH, unique=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ACTIVE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    closed_at = models.DateTimeField(_("released or sold at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        indexes = [models.Index(fields=["state", "expires_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="active", closed_at__isnull=True)
                | (~Q(state="active") & Q(closed_at__isnull=False)),
                name="reservation_closed_when_not_active",
            ),
        ]

    def __str__(self):
        return f"{self.key} ({self.get_state_display()})"


class ReservationLine(models.Model):
    reservation = models.ForeignKey(
        Reservation, verbose_name=_("reservation"), on_delete=models.CASCADE, related_name="lines"
    )
    sku = models.ForeignKey(
        "workshops.SKU", verbose_name=_("SKU"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        ordering = ["sku_id"]
        verbose_name = _("reservation line")
        verbose_name_plural = _("reservation lines")
        constraints = [
            models.UniqueConstraint(fields=["reservation", "sku"], name="one_line_per_sku"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="reservation_line_positive"),
        ]

    def __str__(self):
        return f"{self.sku_id} × {self.quantity}"


# The namespace of each kind of movement's key: the operation that makes it.
NAMESPACES = {
    "received": "batch",
    "reserved": "reserve",
    "released": "release",
    "sold": "sell",
    "returned": "return",
    "written_off": "write-off",
    "counted": "count",
}
CHANGE_KINDS = ["returned", "written_off", "counted"]  # the movements of a StockChange


def _in_namespace(namespaces: dict[str, str]) -> Q:
    condition = Q()
    for kind, namespace in namespaces.items():
        condition |= Q(kind=kind, key__startswith=f"{namespace}:")
    return condition


class StockChange(models.Model):
    """A return, write-off, count or stocktake under its caller's key: the table of their keys,
    unique here, where the operations look them up. Claiming the key is each operation's first
    write, so a second call with the key waits for the first and then finds it."""

    class Kind(models.TextChoices):  # each is the namespace of its movements' keys
        RETURN = "return", _("return")
        WRITE_OFF = "write-off", _("write-off")
        COUNT = "count", _("count or stocktake")

    # New keys have at most MAX_KEY_LENGTH characters; the column also holds the keys of up to
    # 100 that returns, write-offs and counts kept on their movements before (migration 0012).
    key = models.CharField(_("operation key"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("stock change")
        verbose_name_plural = _("stock changes")

    def __str__(self):
        return self.movement_key

    @property
    def movement_key(self) -> str:
        """The key of this change's movements: its namespace, a colon, its key."""
        return f"{self.kind}:{self.key}"


class StockMovement(models.Model):
    class Kind(models.TextChoices):
        RECEIVED = "received", _("batch received")
        RESERVED = "reserved", _("reserved")
        RELEASED = "released", _("reservation released")
        SOLD = "sold", _("sold")
        RETURNED = "returned", _("returned to stock")
        WRITTEN_OFF = "written_off", _("written off")
        COUNTED = "counted", _("stocktake")

    stock = models.ForeignKey(
        Stock, verbose_name=_("stock"), on_delete=models.PROTECT, related_name="movements"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    on_hand_change = models.IntegerField(_("change on hand"), default=0)
    reserved_change = models.IntegerField(_("change reserved"), default=0)
    key = models.CharField(_("operation key"), max_length=110)  # "<namespace>:<key>"
    source = models.CharField(_("source"), max_length=200, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    counted = models.IntegerField(_("counted"), null=True, blank=True)
    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), on_delete=models.PROTECT, null=True, blank=True
    )
    reservation = models.ForeignKey(
        Reservation,
        verbose_name=_("reservation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movements",
    )
    change = models.ForeignKey(
        StockChange,
        verbose_name=_("return, write-off or count"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movements",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        constraints = [
            models.UniqueConstraint(fields=["stock", "key"], name="one_movement_per_key"),
            models.CheckConstraint(
                condition=~Q(kind__in=["written_off", "counted"]) | ~Q(reason=""),
                name="movement_reason_given",
                violation_error_message=_("A write-off or a count needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CHANGE_KINDS, change__isnull=False)
                | (~Q(kind__in=CHANGE_KINDS) & Q(change__isnull=True)),
                name="movement_change_given",
            ),
            models.CheckConstraint(
                condition=_in_namespace(NAMESPACES), name="movement_key_in_its_namespace"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on_hand_change:+d} / {self.reserved_change:+d}"
