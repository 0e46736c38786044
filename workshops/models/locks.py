"""The lock a pay run puts on the production records and training sessions it calculated from
(DESIGN.md, "Production records"). The active-lock query is the manager's: ``active()`` and
``held_by(reference)``."""

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

# A pay run's reference: "PR-{prison slug (up to 120)}-{YYYY-MM-DD}" (134 characters), with a
# "-N" suffix for a period run again; the lock and the adjustments it settles name it.
PAY_RUN_REFERENCE_LENGTH = 150


class ProductionLockQuerySet(QuerySet):
    def active(self):
        """Locks not released: held by a pay run that was not cancelled."""
        return self.filter(released_at__isnull=True)

    def held_by(self, reference: str):
        """The lock pay run ``reference`` holds now (at most one: a unique constraint)."""
        return self.active().filter(reference=reference)


class ProductionLock(models.Model):
    """The lock a pay run (``reference``) holds on the records it calculated from; releasing it
    (the run was cancelled) frees them. Kept afterwards as history.

    Posting the run makes the lock **final** (``finalised_at``): its records were paid, so they
    are never freed to be paid again. A final lock keeps how many records and sessions it held
    and a checksum of them (``held_records``, ``held_attendance``, ``held_checksum``), so a
    check of the ledger finds rows removed or moved behind its back. A final lock is never
    released (a constraint); on PostgreSQL triggers also keep it and its rows from changing."""

    reference = models.CharField(_("reference"), max_length=PAY_RUN_REFERENCE_LENGTH)
    locked_at = models.DateTimeField(_("locked at"), auto_now_add=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("final since"), null=True, blank=True)
    held_records = models.PositiveIntegerField(_("records held when final"), null=True, blank=True)
    held_attendance = models.PositiveIntegerField(
        _("training sessions held when final"), null=True, blank=True
    )
    held_checksum = models.CharField(_("checksum when final"), max_length=120, blank=True)

    objects = ProductionLockQuerySet.as_manager()

    class Meta:
        ordering = ["-locked_at"]
        verbose_name = _("production lock")
        verbose_name_plural = _("production locks")
        constraints = [
            models.UniqueConstraint(
                fields=["reference"],
                condition=Q(released_at__isnull=True),
                name="one_active_lock_per_reference",
            ),
            models.CheckConstraint(
                condition=Q(finalised_at__isnull=True) | Q(released_at__isnull=True),
                name="final_lock_never_released",
                violation_error_message=_("A posted pay run's lock is never released."),
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None
