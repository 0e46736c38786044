"""An auditor's assessment of a partner or a workshop: the findings of a check kept as its snapshot,
the auditor's own observations, corrective actions tracked to closure, the responses received, and
the sign-off that sets the fairness status the shop shows (``compliance.assessments``).

Lifecycle: ``in_progress`` → ``signed`` → ``superseded`` (when a later assessment of the same
partner or workshop is signed). A signed assessment never changes: its fields, its findings and its
observations are frozen (PostgreSQL refuses it with triggers, compliance 0003; the operations refuse
it everywhere). Corrective actions and responses go on being recorded after the sign-off, since
following them up is what the sign-off asks for.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from compliance.models.checks import CheckFinding, ComplianceCheck


class Outcome(models.TextChoices):
    """The same values as ``workshops.Partner.Fairness`` (less "not yet assessed")."""

    COMPLIANT = "compliant", _("compliant")
    ACTION_REQUIRED = "action_required", _("action required")
    SUSPENDED = "suspended", _("suspended")


class Assessment(models.Model):
    class Kind(models.TextChoices):
        PARTNER = "partner", _("partner")
        WORKSHOP = "workshop", _("workshop")

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("in progress")
        SIGNED = "signed", _("signed")
        SUPERSEDED = "superseded", _("superseded")

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    kind = models.CharField(_("assessment of"), max_length=10, choices=Kind.choices)
    partner = models.ForeignKey(
        "workshops.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
    )
    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("workshop"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
    )
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    check_run = models.OneToOneField(
        ComplianceCheck,
        verbose_name=_("check"),
        on_delete=models.PROTECT,
        related_name="assessment",
        help_text=_("The check whose findings are this assessment's snapshot."),
    )
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auditor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("The auditor's conclusion in a few sentences; the report opens with it."),
    )
    default_outcome = models.CharField(
        _("outcome the findings give"), max_length=20, choices=Outcome.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    override_reason = models.TextField(
        _("reason for another outcome"),
        blank=True,
        help_text=_("Required when the outcome is not the one the open findings give."),
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        permissions = [("sign_assessment", _("Can sign an assessment off"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="assessment_period_in_order",
                violation_error_message=_("An assessment's last day is on or after its first."),
            ),
            models.CheckConstraint(
                condition=Q(kind="partner", partner__isnull=False, workshop__isnull=True)
                | Q(kind="workshop", workshop__isnull=False, partner__isnull=True),
                name="assessment_names_its_subject",
                violation_error_message=_("An assessment is of one partner or one workshop."),
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress")
                | (~Q(outcome="") & Q(signed_by__isnull=False) & Q(signed_at__isnull=False)),
                name="assessment_signed_in_full",
                violation_error_message=_(
                    "A signed assessment has its outcome, who signed it and when."
                ),
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome=F("default_outcome")) | ~Q(override_reason=""),
                name="assessment_override_has_reason",
                violation_error_message=_(
                    "An outcome other than the one the findings give needs a written reason."
                ),
            ),
            # One assessment in progress per partner or workshop: two auditors do not race.
            models.UniqueConstraint(
                fields=["partner"],
                condition=Q(status="in_progress"),
                name="one_open_assessment_per_partner",
                violation_error_message=_("This partner already has an assessment in progress."),
            ),
            models.UniqueConstraint(
                fields=["workshop"],
                condition=Q(status="in_progress"),
                name="one_open_assessment_per_workshop",
                violation_error_message=_("This workshop already has an assessment in progress."),
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.subject}"

    @property
    def subject(self):
        """The partner or workshop assessed."""
        return self.partner if self.kind == self.Kind.PARTNER else self.workshop

    @property
    def is_signed(self) -> bool:
        return self.status != self.Status.IN_PROGRESS


class Observation(models.Model):
    """What the auditor saw or heard themselves, beside what the records show."""

    class Kind(models.TextChoices):
        SITE_VISIT = "site_visit", _("site visit")
        INTERVIEW = "interview", _("interview")
        DOCUMENT = "document", _("document review")
        OTHER = "other", _("other")

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="observations",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    observed_on = models.DateField(_("observed on"))
    text = models.TextField(_("observation"))
    attachments = models.ManyToManyField(
        "core.PrivateFile", verbose_name=_("attachments"), blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["assessment", "observed_on", "pk"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")

    def __str__(self):
        return f"{self.get_kind_display()} {self.observed_on}"


class CorrectiveAction(models.Model):
    """What must change for one finding, who owns it and by when; closed with its evidence."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    finding = models.ForeignKey(
        CheckFinding,
        verbose_name=_("finding"),
        on_delete=models.PROTECT,
        related_name="actions",
    )
    what = models.TextField(_("what must be done"))
    owner = models.CharField(
        _("owner"), max_length=160, help_text=_("Who is answerable: a role or a named contact.")
    )
    set_on = models.DateField(_("set on"))
    due_on = models.DateField(_("due on"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_note = models.TextField(_("how it was closed"), blank=True)
    closure_evidence = models.ManyToManyField(
        "core.PrivateFile", verbose_name=_("closure evidence"), blank=True, related_name="+"
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["assessment", "due_on", "pk"]
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=F("set_on")),
                name="action_due_after_set",
                violation_error_message=_("A corrective action is due on or after the day set."),
            ),
            models.CheckConstraint(
                condition=Q(state="open", closed_on__isnull=True)
                | (Q(state="closed", closed_on__isnull=False) & ~Q(closure_note="")),
                name="action_closed_with_evidence",
                violation_error_message=_(
                    "A closed corrective action has the day it closed and how it was closed."
                ),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("set_on")),
                name="action_closed_after_set",
                violation_error_message=_("A corrective action closes on or after the day set."),
            ),
            models.UniqueConstraint(
                fields=["assessment", "finding"],
                name="one_action_per_finding",
                violation_error_message=_("This finding already has a corrective action."),
            ),
        ]

    def __str__(self):
        return f"{self.finding.code}: {self.what[:60]}"


class Response(models.Model):
    """What the partner or workshop answered, and when it was received."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="responses",
    )
    action = models.ForeignKey(
        CorrectiveAction,
        verbose_name=_("corrective action"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="responses",
    )
    received_on = models.DateField(_("received on"))
    responder = models.CharField(_("from"), max_length=160)
    text = models.TextField(_("response"))
    document = models.ForeignKey(
        "core.PrivateFile",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["assessment", "received_on", "pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self):
        return f"{self.responder} {self.received_on}"
