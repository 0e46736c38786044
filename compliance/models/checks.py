"""A check run from the back office (``compliance.checks``) and the findings it stored.

The command line prints its findings; the back office keeps them, so an auditor can filter them,
open their evidence and export them, and an assessment can keep them as its snapshot. A check's
findings are written once, when its job finishes, and never change.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    CRITICAL = "critical", _("critical")
    MAJOR = "major", _("major")
    MINOR = "minor", _("minor")


SEVERITY_ORDER = {Severity.CRITICAL: 0, Severity.MAJOR: 1, Severity.MINOR: 2}


class ComplianceCheck(models.Model):
    class ScopeKind(models.TextChoices):
        PARTNER = "partner", _("partner")
        WORKSHOP = "workshop", _("workshop")
        PRISON = "prison", _("prison")
        ALL = "all", _("the whole country")

    scope_kind = models.CharField(_("scope"), max_length=10, choices=ScopeKind.choices)
    scope_slug = models.SlugField(_("of"), max_length=160, blank=True)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    job = models.ForeignKey(
        "core.Job",
        verbose_name=_("job"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    findings_count = models.PositiveIntegerField(_("findings"), default=0)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("compliance check")
        verbose_name_plural = _("compliance checks")
        permissions = [("run_compliancecheck", _("Can run a compliance check"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="check_period_in_order",
                violation_error_message=_("A check's last day is on or after its first."),
            ),
            models.CheckConstraint(
                condition=Q(scope_kind="all", scope_slug="")
                | (~Q(scope_kind="all") & ~Q(scope_slug="")),
                name="check_scope_named",
                violation_error_message=_("A check names its partner, workshop or prison."),
            ),
        ]

    def __str__(self):
        return f"{self.scope} {self.start}–{self.end}"

    @property
    def scope(self) -> str:
        """As findings write it: ``partner:SLUG``, ``workshop:SLUG``, ``prison:SLUG`` or ``all``."""
        return "all" if self.scope_kind == "all" else f"{self.scope_kind}:{self.scope_slug}"


class CheckFinding(models.Model):
    """One finding of a check, as the engine returned it (``compliance.rules.Finding``)."""

    check_run = models.ForeignKey(
        ComplianceCheck,
        verbose_name=_("check"),
        on_delete=models.CASCADE,
        related_name="findings",
    )
    code = models.CharField(_("rule"), max_length=40)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    scope = models.CharField(_("scope"), max_length=180)
    worker = models.ForeignKey(
        "workshops.Worker",
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    detail = models.TextField(_("detail"))
    missing_data = models.BooleanField(_("missing data"), default=False)
    figures = models.JSONField(_("figures compared"), default=dict, blank=True)
    evidence = models.JSONField(_("evidence"), default=list, blank=True)

    class Meta:
        ordering = ["check_run", "code", "start", "pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        indexes = [models.Index(fields=["check_run", "code"], name="finding_check_code")]

    def __str__(self):
        return f"{self.code} {self.scope} {self.start}"

    @property
    def sentence(self) -> str:
        """The detail as a screen shows it, capitalised (rules write it to follow a code)."""
        return capfirst(self.detail)
