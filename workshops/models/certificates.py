"""Certificates of accredited qualifications, signed so that anyone can verify them.

A certificate holds its canonical, language-independent ``content`` (what is signed and what the
verification page shows: the qualification, level, awarding body, date and the name the holder
chose) and the Ed25519 ``signature`` over it (``core.signing``). It never holds a prison, a prison
number, a pseudonymous reference or an offence (Mandela Rule 104; UN model strategy No. 11). It is
found by an unguessable ``public_id``. Revoked and superseded certificates stay, and say so.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


def new_public_id() -> str:
    return secrets.token_urlsafe(18)  # 144 random bits, 24 URL-safe characters


class Certificate(models.Model):
    public_id = models.CharField(
        _("verification id"), max_length=40, unique=True, default=new_public_id, editable=False
    )
    enrolment = models.ForeignKey(
        "workshops.Enrolment",
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    holder_name = models.CharField(
        _("name on the certificate"),
        max_length=120,
        help_text=_("The name the holder chose to have on it."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    content = models.JSONField(_("signed content"), editable=False)
    key_id = models.CharField(_("signing key"), max_length=40, editable=False)
    signature = models.CharField(_("signature"), max_length=120, editable=False)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)
    superseded_by = models.OneToOneField(
        "self",
        verbose_name=_("superseded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
    )

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.CheckConstraint(
                condition=(Q(revoked_on__isnull=True) & Q(revocation_reason=""))
                | (Q(revoked_on__isnull=False) & ~Q(revocation_reason="")),
                name="certificate_revoked_with_reason",
                violation_error_message=_("A revocation has a date and a reason."),
            ),
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | Q(revoked_on__gte=F("issued_on")),
                name="certificate_revoked_after_issue",
                violation_error_message=_("A certificate cannot be revoked before it is issued."),
            ),
            models.CheckConstraint(
                condition=~Q(superseded_by=F("pk")),
                name="certificate_not_superseded_by_itself",
            ),
        ]

    def __str__(self):
        return f"{self.content.get('qualification', '')} · {self.holder_name}"
