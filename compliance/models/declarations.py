"""Staff declarations of interest in partners (Mandela Rule 97.3: no staff member may benefit
from the work; anti-corruption). A declaration with no interest is a declaration too: the rule
wants one on file, from each member of staff supervising a partner's workshop, before the
contract is awarded."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InterestDeclaration(models.Model):
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member of staff"),
        on_delete=models.PROTECT,
        related_name="interest_declarations",
    )
    partner = models.ForeignKey(
        "workshops.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="interest_declarations",
    )
    has_interest = models.BooleanField(_("declares an interest"), default=False)
    interest = models.TextField(
        _("interest"),
        blank=True,
        help_text=_("The interest declared (shares, family, a past or future job), if any."),
    )
    declared_on = models.DateField(_("declared on"))

    class Meta:
        ordering = ["-declared_on"]
        verbose_name = _("declaration of interest")
        verbose_name_plural = _("declarations of interest")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(has_interest=False) | ~models.Q(interest=""),
                name="declared_interest_described",
                violation_error_message=_("Describe the interest declared."),
            ),
        ]

    def __str__(self):
        return f"{self.staff} · {self.partner} {self.declared_on}"
