"""Family remittances (Mandela Rule 103.2: part of the earnings may be sent to the family; issue 22).

A **payee** is the family member a worker named, with the account to send to and the worker's
written consent to send their family balance there. A worker has at most one active payee; a
payee without recorded consent receives nothing. A **remittance batch** is one bank file (an
ISO 20022 pain.001 credit transfer and its CSV twin), stored privately with their SHA-256; each
**remittance** in it is one payment, posted to the ledger when the file is produced (Dr the
worker's family account, Cr bank) and, if the bank returns it, returned once by a journal of its
own (Dr bank, Cr family). ``wages.remittances`` holds the only writers.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .ledger import AMOUNT


class Payee(models.Model):
    class Relationship(models.TextChoices):
        PARTNER = "partner", _("spouse or partner")
        CHILD = "child", _("child")
        PARENT = "parent", _("parent")
        SIBLING = "sibling", _("brother or sister")
        OTHER = "other", _("other family member")

    worker = models.ForeignKey(
        "workshops.Worker",
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="payees",
    )
    name = models.CharField(_("name"), max_length=70, help_text=_("As the bank knows the account."))
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    iban = models.CharField(_("IBAN"), max_length=34, help_text=_("Stored compact, upper case."))
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    country = models.CharField(_("country"), max_length=2, help_text=_("The IBAN's country."))
    consented_on = models.DateField(_("consent signed on"), null=True, blank=True)
    consent_document = models.ForeignKey(
        "core.PrivateFile",
        verbose_name=_("signed consent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["worker__reference", "-pk"]
        verbose_name = _("payee")
        verbose_name_plural = _("payees")
        constraints = [
            models.UniqueConstraint(
                fields=["worker"],
                condition=Q(ended_on__isnull=True),
                name="payee_one_active_per_worker",
                violation_error_message=_("A worker has one active payee: end it first."),
            ),
            models.CheckConstraint(
                condition=Q(consented_on__isnull=True, consent_document__isnull=True)
                | Q(consented_on__isnull=False, consent_document__isnull=False),
                name="payee_consent_dated_and_signed",
                violation_error_message=_("A consent has its date and its signed document."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.worker.reference})"

    @property
    def consented(self) -> bool:
        return self.consented_on is not None and self.consent_document_id is not None

    @property
    def active(self) -> bool:
        return self.ended_on is None


class RemittanceBatch(models.Model):
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    message_id = models.CharField(_("message id"), max_length=35, unique=True)
    execution_date = models.DateField(_("requested execution date"))
    currency = models.CharField(_("currency"), max_length=3)
    count = models.PositiveIntegerField(_("payments"))
    total = models.DecimalField(_("total"), **AMOUNT)
    pain_version = models.CharField(_("pain.001 version"), max_length=20)
    xml_file = models.ForeignKey(
        "core.PrivateFile",
        verbose_name=_("pain.001 file"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    csv_file = models.ForeignKey(
        "core.PrivateFile", verbose_name=_("CSV file"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("produced by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("produced at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("remittance batch")
        verbose_name_plural = _("remittance batches")
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gt=0) & Q(total__gt=0),
                name="remittance_batch_not_empty",
                violation_error_message=_("A remittance batch pays something."),
            ),
        ]

    def __str__(self):
        return self.reference


class Remittance(models.Model):
    class Status(models.TextChoices):
        POSTED = "posted", _("posted")
        REJECTED = "rejected", _("rejected, money returned")

    batch = models.ForeignKey(
        RemittanceBatch,
        verbose_name=_("batch"),
        on_delete=models.PROTECT,
        related_name="remittances",
    )
    worker = models.ForeignKey(
        "workshops.Worker", verbose_name=_("worker"), on_delete=models.PROTECT, related_name="+"
    )
    payee = models.ForeignKey(
        Payee, verbose_name=_("payee"), on_delete=models.PROTECT, related_name="remittances"
    )
    amount = models.DecimalField(_("amount"), **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3)
    end_to_end_id = models.CharField(_("end-to-end id"), max_length=35, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.POSTED
    )
    journal_key = models.CharField(_("posting journal"), max_length=180, unique=True)
    return_journal_key = models.CharField(
        _("return journal"), max_length=180, null=True, blank=True, unique=True
    )
    rejected_on = models.DateField(_("returned on"), null=True, blank=True)
    reject_reason = models.CharField(_("reason returned"), max_length=300, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("return recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["batch", "pk"]
        verbose_name = _("remittance")
        verbose_name_plural = _("remittances")
        permissions = [("reject_remittance", _("Can record a remittance the bank returned"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="remittance_positive",
                violation_error_message=_("A remittance is of more than zero."),
            ),
            models.UniqueConstraint(
                fields=["batch", "worker"],
                name="remittance_once_per_worker_and_batch",
                violation_error_message=_("A batch pays a worker's family once."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="posted", return_journal_key__isnull=True, rejected_on__isnull=True)
                    | Q(status="rejected", return_journal_key__isnull=False)
                    & Q(rejected_on__isnull=False)
                ),
                name="remittance_returned_with_its_journal",
                violation_error_message=_("A returned remittance has its return journal."),
            ),
        ]

    def __str__(self):
        return self.end_to_end_id
