"""Recording and withdrawing consent.

Withdrawing a story consent must take the story off the brand site at once; ``workshops`` cannot
import ``brand``, so it calls the Wagtail hook ``bridgework_story_consent_withdrawn`` with the
consent, and ``brand`` registers the handler (DESIGN.md, "The shape").
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.log_actions import log

from core.formatting import format_day
from workshops.models import Consent, DeductionCategory, Partner, Worker

STORY_CONSENT_WITHDRAWN = "bridgework_story_consent_withdrawn"


@transaction.atomic
def record_consent(
    *,
    worker: Worker,
    kind: str,
    signed_on,
    partner_slug: str | None = None,
    deduction_codes: tuple[str, ...] = (),
    chosen_name: str = "",
    document=None,
    user=None,
) -> Consent:
    """Record a consent as signed on ``signed_on``, however late it is recorded (the compliance
    rules report a late one; it is never back-dated)."""
    partner = None
    if kind == Consent.Kind.WORK:
        partner = Partner.objects.filter(slug=partner_slug).first()
        if partner is None:
            raise ValidationError(
                _("No partner company has the slug %(slug)r: a work consent names a known partner.")
                % {"slug": partner_slug}
            )
    elif partner_slug:
        raise ValidationError(_("A story consent names no partner."))
    categories = list(DeductionCategory.objects.filter(code__in=deduction_codes))
    unknown = sorted(set(deduction_codes) - {c.code for c in categories})
    if unknown:
        raise ValidationError(
            _("Unknown deduction categories: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    consent = Consent(
        worker=worker,
        kind=kind,
        partner=partner,
        signed_on=signed_on,
        chosen_name=chosen_name,
        document=document,
    )
    consent.full_clean(exclude=["recorded_on"])
    consent.save()
    consent.deduction_categories.set(categories)
    log(consent, "wagtail.create", user=user)
    return consent


@transaction.atomic
def withdraw_consent(*, consent: Consent, on, user=None) -> Consent:
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise ValidationError(
            _("This consent was already withdrawn on %(day)s.")
            % {"day": format_day(consent.withdrawn_on)}
        )
    if on < consent.signed_on:
        raise ValidationError(_("A consent cannot be withdrawn before it is signed."))
    consent.withdrawn_on = on
    consent.save(update_fields=["withdrawn_on"])
    log(consent, "bridgework.consent_withdrawn", user=user)
    if consent.kind == Consent.Kind.STORY:
        for handler in hooks.get_hooks(STORY_CONSENT_WITHDRAWN):
            handler(consent=consent, user=user)
    return consent
