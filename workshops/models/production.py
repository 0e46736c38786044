"""Production records, adjustments of records a pay run locked (the locks are in ``locks.py``),
the files they were imported from, and safety incidents (DESIGN.md, "Production records").

A record is one worker × workshop × day × SKU, or worker × workshop × day with no SKU for
time-only work. ``pieces`` are accepted pieces (paid); ``rejects`` are rejected ones (not paid).
Everything that changes a record goes through ``workshops.production``; the database keeps the
invariants that need no other table (one record per key, hours within a day, counts not negative,
a supervisor unless legacy, a reason beside every breach of the working-time policy).
"""

from decimal import Decimal

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from workshops.bounds import PRODUCTION_PIECES, PRODUCTION_REJECTS
from workshops.models.locks import PAY_RUN_REFERENCE_LENGTH, ProductionLock

MAX_PIECES = int(max(PRODUCTION_PIECES.high, PRODUCTION_REJECTS.high))


class ProductionImport(models.Model):
    """One imported file, kept as evidence: its name, hash and how many rows it brought."""

    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"))
    legacy = models.BooleanField(_("legacy rows allowed"), default=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("production import")
        verbose_name_plural = _("production imports")

    def __str__(self):
        return f"{self.file_name} ({self.rows})"


class ProductionRecord(models.Model):
    worker = models.ForeignKey(
        "workshops.Worker",
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="production",
    )
    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("workshop"),
        on_delete=models.PROTECT,
        related_name="production",
    )
    day = models.DateField(_("day"))
    sku = models.ForeignKey(
        "workshops.SKU",
        verbose_name=_("SKU"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="production",
    )
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    pieces = models.PositiveIntegerField(_("accepted pieces"), default=0)
    rejects = models.PositiveIntegerField(_("rejected pieces"), default=0)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_production",
    )
    supervisor_note = models.CharField(_("supervisor's note"), max_length=500, blank=True)
    breaches = models.CharField(
        _("working-time breaches"),
        max_length=60,
        blank=True,
        help_text=_("Codes of the working-time rules this day breaks; the note gives the reason."),
    )
    legacy = models.BooleanField(_("legacy"), default=False)
    source = models.ForeignKey(
        ProductionImport,
        verbose_name=_("imported from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        ordering = ["-day", "workshop", "worker", "sku"]
        verbose_name = _("production record")
        verbose_name_plural = _("production records")
        permissions = [
            ("record_production", _("Can record production for the workshops they supervise")),
            ("import_any_production", _("Can import production for any workshop")),
        ]
        indexes = [
            models.Index(fields=["workshop", "day"], name="production_workshop_day"),
            models.Index(fields=["worker", "day"], name="production_worker_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "workshop", "day", "sku"],
                condition=Q(sku__isnull=False),
                name="one_record_per_worker_workshop_day_sku",
                violation_error_message=_("This worker already has a record for that day and SKU."),
            ),
            models.UniqueConstraint(
                fields=["worker", "workshop", "day"],
                condition=Q(sku__isnull=True),
                name="one_time_record_per_worker_workshop_day",
                violation_error_message=_("This worker already has a record for that day."),
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(hours__lte=Decimal(24)),
                name="production_hours_within_a_day",
                violation_error_message=_("Hours are between 0 and 24."),
            ),
            models.CheckConstraint(
                condition=Q(pieces__gte=0) & Q(rejects__gte=0),
                name="production_counts_not_negative",
                violation_error_message=_("Pieces and rejects cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(pieces__lte=MAX_PIECES) & Q(rejects__lte=MAX_PIECES),
                name="production_counts_plausible",
                violation_error_message=_("A record holds at most 10,000 pieces and rejects."),
            ),
            models.CheckConstraint(
                condition=Q(legacy=True) | Q(supervisor__isnull=False),
                name="production_supervised_unless_legacy",
                violation_error_message=_("Every record names its supervisor, except legacy ones."),
            ),
            models.CheckConstraint(
                condition=Q(breaches="") | ~Q(supervisor_note=""),
                name="production_breach_has_reason",
                violation_error_message=_(
                    "Hours over the working-time limits need a reason in the note."
                ),
            ),
        ]

    def __str__(self):
        what = self.sku.code if self.sku_id else _("time")
        return f"{self.worker} {self.workshop} {self.day} {what}"

    @property
    @admin.display(description=_("locked by"))
    def lock(self) -> ProductionLock | None:
        """The pay run's lock holding this record, if any (``LockedRecord``)."""
        try:
            return self.locked.lock
        except ObjectDoesNotExist:
            return None

    @property
    def is_locked(self) -> bool:
        return self.lock is not None

    @property
    def breach_labels(self) -> list[str]:
        """The breached working-time rules in words (the codes are for the compliance rules)."""
        return [str(BREACH_LABELS.get(code, code)) for code in self.breaches.split()]


BREACH_LABELS = {
    "HOURS_DAY": _("daily hours"),
    "HOURS_WEEK": _("weekly hours"),
    "REST_DAY": _("a rest day in seven"),
}


class LockedRecord(models.Model):
    """A production record held by a pay run's lock. A row of its own, not a column of the
    record: locking a month of a prison's records (millions in a large service) then writes one
    narrow row each instead of rewriting every record and its indexes.

    The references are not foreign keys in the database: a foreign key checks each row on its
    own at the commit, which cost more than the lock itself. On PostgreSQL a trigger checks each
    statement's new rows as a set instead (the record exists, the lock exists and is held), and
    the records' guard refuses deleting a locked record."""

    record = models.OneToOneField(
        ProductionRecord,
        verbose_name=_("record"),
        primary_key=True,
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="locked",
    )
    lock = models.ForeignKey(
        ProductionLock,
        verbose_name=_("lock"),
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="entries",
    )

    class Meta:
        verbose_name = _("locked record")
        verbose_name_plural = _("locked records")

    def __str__(self):
        return f"{self.record_id} {self.lock_id}"


def with_locks(records: QuerySet) -> QuerySet:
    """``records`` with each one's lock read by a query of its own after them. Under
    ``select_for_update`` that query sees a lock committed while the records waited for their row
    locks, which a join would not (PostgreSQL re-reads only the locked rows)."""
    return records.prefetch_related(
        Prefetch("locked", queryset=LockedRecord.objects.select_related("lock"))
    )


class ProductionAdjustment(models.Model):
    """A change to a locked record: who, why, the old and the new values. The record shows the
    new values; the next regular pay run pays (or recovers) the difference and marks it
    ``settled_by`` its reference."""

    record = models.ForeignKey(
        ProductionRecord,
        verbose_name=_("record"),
        on_delete=models.PROTECT,
        related_name="adjustments",
    )
    old_hours = models.DecimalField(_("old hours"), max_digits=4, decimal_places=2)
    old_pieces = models.PositiveIntegerField(_("old accepted pieces"))
    old_rejects = models.PositiveIntegerField(_("old rejected pieces"))
    new_hours = models.DecimalField(_("new hours"), max_digits=4, decimal_places=2)
    new_pieces = models.PositiveIntegerField(_("new accepted pieces"))
    new_rejects = models.PositiveIntegerField(_("new rejected pieces"))
    reason = models.TextField(_("reason"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    made_at = models.DateTimeField(_("made at"), auto_now_add=True)
    settled_by = models.CharField(
        _("settled by pay run"), max_length=PAY_RUN_REFERENCE_LENGTH, blank=True, db_index=True
    )

    class Meta:
        ordering = ["-made_at"]
        verbose_name = _("production adjustment")
        verbose_name_plural = _("production adjustments")
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="adjustment_has_reason",
                violation_error_message=_("An adjustment needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(new_hours__gte=0) & Q(new_hours__lte=Decimal(24)),
                name="adjustment_hours_within_a_day",
                violation_error_message=_("Hours are between 0 and 24."),
            ),
            models.CheckConstraint(
                condition=Q(new_pieces__lte=MAX_PIECES) & Q(new_rejects__lte=MAX_PIECES),
                name="adjustment_counts_plausible",
                violation_error_message=_("A record holds at most 10,000 pieces and rejects."),
            ),
        ]

    def __str__(self):
        return f"{self.record}: {self.old_hours}→{self.new_hours}"

    @property
    def hours_delta(self) -> Decimal:
        return self.new_hours - self.old_hours

    @property
    def pieces_delta(self) -> int:
        return self.new_pieces - self.old_pieces


class SafetyIncident(models.Model):
    """An accident or near miss in a workshop and what was done about it (Mandela Rule 101:
    safety and compensation for injury as for free workers)."""

    class Severity(models.TextChoices):
        NEAR_MISS = "near_miss", _("near miss")
        FIRST_AID = "first_aid", _("first aid")
        LOST_TIME = "lost_time", _("lost-time injury")
        SERIOUS = "serious", _("serious injury")

    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("workshop"),
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    occurred_on = models.DateField(_("occurred on"))
    severity = models.CharField(_("severity"), max_length=12, choices=Severity.choices)
    worker = models.ForeignKey(
        "workshops.Worker",
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        help_text=_("The worker affected, if any (by reference)."),
    )
    description = models.TextField(_("what happened"))
    follow_up = models.TextField(_("follow-up"), blank=True)
    followed_up_on = models.DateField(_("followed up on"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-occurred_on"]
        verbose_name = _("safety incident")
        verbose_name_plural = _("safety incidents")
        constraints = [
            models.CheckConstraint(
                condition=Q(followed_up_on__isnull=True) | Q(followed_up_on__gte=F("occurred_on")),
                name="incident_followed_up_after",
                violation_error_message=_("A follow-up cannot come before the incident."),
            ),
            models.CheckConstraint(
                condition=Q(followed_up_on__isnull=True) | ~Q(follow_up=""),
                name="incident_follow_up_described",
                violation_error_message=_("Say what the follow-up was."),
            ),
        ]

    def __str__(self):
        return f"{self.workshop} {self.occurred_on} {self.get_severity_display()}"

    @property
    def is_followed_up(self) -> bool:
        return self.followed_up_on is not None
