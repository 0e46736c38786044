"""Payslips: one stored PDF per worker per posted pay run (Mandela Rule 103: the worker is told
what was earned, set aside and owed).

A slip is made once, after the run is posted (``wages.payslips.generation``), and kept privately
(``core.private_files``) with its SHA-256, so a reprint is the same bytes. ``workshops`` are the
workshops whose work the slip pays: a supervisor hands out the slips of their own workshops.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .payruns import PayRun

PURPOSE = "payslip"  # core.private_files.PrivateFile.purpose of a payslip's PDF


class Payslip(models.Model):
    run = models.ForeignKey(
        PayRun, verbose_name=_("pay run"), on_delete=models.PROTECT, related_name="payslips"
    )
    worker = models.ForeignKey(
        "workshops.Worker", verbose_name=_("worker"), on_delete=models.PROTECT, related_name="+"
    )
    document = models.OneToOneField(
        "core.PrivateFile",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="payslip",
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    pages = models.PositiveSmallIntegerField(_("pages"))
    language = models.CharField(_("language"), max_length=10)
    generated_at = models.DateTimeField(_("generated at"), auto_now_add=True)
    workshops = models.ManyToManyField(
        "workshops.Workshop",
        verbose_name=_("workshops"),
        related_name="payslips",
        blank=True,
        help_text=_("The workshops whose work the slip pays."),
    )

    class Meta:
        ordering = ["run", "worker__reference"]
        verbose_name = _("payslip")
        verbose_name_plural = _("payslips")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "worker"], name="one_payslip_per_worker_and_run"
            ),
            models.CheckConstraint(condition=models.Q(pages__gt=0), name="payslip_has_pages"),
        ]

    def __str__(self):
        return f"{self.run.reference} {self.worker.reference}"
