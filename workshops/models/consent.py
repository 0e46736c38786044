"""Deduction categories and consent records (work and story).

A work consent is written, dated and names the partner and the deductions agreed (ILO C029, PIECP);
a story consent lets the brand publish a story about the person. A consent recorded late keeps
its real signing date: the compliance rules report it, nothing back-dates it.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class DeductionCategory(models.Model):
    """What part of a wage may go to: own spending, family, release savings, victims' fund…"""

    class Use(models.TextChoices):
        KEPT = "kept", _("kept until release or held for others")
        FAMILY = "family", _("remitted to the worker's family")
        RELEASE_SAVINGS = "release_savings", _("release savings, paid out on release")
        # Held for others, never the worker's: the fund for victims of crime (PIECP), which
        # the compliance rules recognise by this use, never by the category's code.
        VICTIMS_FUND = "victims_fund", _("paid to the victims' fund, held for others")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    # Chosen by this flag, never by the code (which staff may edit): what the category takes is
    # credited to the worker's own sub-account (family, release savings), or else held for
    # others in one account for everyone (victims' fund, board).
    credited_to_worker = models.BooleanField(
        _("credited to the worker"),
        default=False,
        help_text=_(
            "Kept in the worker's own account (family support, release savings), rather than "
            "held for others (victims' fund, board)."
        ),
    )
    # What happens to a worker's balance in the category (``wages`` reads it, never the code):
    # family balances are remitted to the payees the worker named, release savings are paid out
    # on release (only for categories credited to the worker); the victims' fund is held for
    # others (only for a category not credited to the worker).
    use = models.CharField(
        _("paid out as"),
        max_length=20,
        choices=Use.choices,
        default=Use.KEPT,
        db_default=Use.KEPT,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("deduction category")
        verbose_name_plural = _("deduction categories")
        constraints = [
            models.CheckConstraint(
                condition=Q(use="kept")
                | Q(use="victims_fund", credited_to_worker=False)
                | (Q(credited_to_worker=True) & ~Q(use="victims_fund")),
                name="category_paid_out_is_the_workers",
                violation_error_message=_(
                    "Only a category credited to the worker is remitted or paid out on release; "
                    "the victims' fund is held for others, not credited to the worker."
                ),
            ),
            models.UniqueConstraint(
                fields=["use"],
                condition=~Q(use="kept"),
                name="one_category_per_pay_out_use",
                violation_error_message=_(
                    "Another category is already remitted to families, paid out on release or "
                    "the victims' fund."
                ),
            ),
        ]

    def __str__(self):
        return self.name


class Consent(models.Model):
    class Kind(models.TextChoices):
        WORK = "work", _("work for a partner")
        STORY = "story", _("story on the brand site")

    worker = models.ForeignKey(
        "workshops.Worker",
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="consents",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    partner = models.ForeignKey(
        "workshops.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
    )
    deduction_categories = models.ManyToManyField(
        DeductionCategory, verbose_name=_("deductions agreed"), blank=True
    )
    chosen_name = models.CharField(
        _("name to show"),
        max_length=80,
        blank=True,
        help_text=_("For a story: the name the person chose to be shown, or empty."),
    )
    signed_on = models.DateField(_("signed on"))
    recorded_on = models.DateField(_("recorded on"), auto_now_add=True)
    document = models.ForeignKey(
        "core.PrivateFile",
        verbose_name=_("signed document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        ordering = ["worker", "-signed_on"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="work") & Q(partner__isnull=False))
                | (Q(kind="story") & Q(partner__isnull=True)),
                name="consent_partner_matches_kind",
                violation_error_message=_(
                    "A work consent names its partner; a story consent names none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("signed_on")),
                name="consent_withdrawn_after_signing",
                violation_error_message=_("A consent cannot be withdrawn before it is signed."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.worker}"

    @property
    def is_complete(self) -> bool:
        """Signed document on file (what CONSENT_BEFORE_WORK needs besides the dates)."""
        return self.document_id is not None
