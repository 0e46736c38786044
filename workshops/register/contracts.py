"""Contracts with partners, and the fairness status of a partner or a workshop.

A workshop has at most one contract in force on any day (refused otherwise), so the partner of any
day's work follows from the workshop and the date.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core import page_cache
from core.formatting import format_day
from workshops.models import Contract, Partner, Workshop
from workshops.models.fairness import Fairness
from workshops.register.assignments import overlapping

ASSESSMENT_LENGTH = Partner._meta.get_field("fairness_assessment").max_length


def check_contract(contract: Contract) -> None:
    """Refuse a contract overlapping another of the same workshop (the admin form and
    ``create_contract`` both call it)."""
    others = Contract.objects.filter(workshop=contract.workshop).exclude(pk=contract.pk)
    clash = overlapping(others, contract.start, contract.end).first()
    if clash:
        raise ValidationError(
            _(
                "%(workshop)s already has contract %(contract)s in force from %(start)s to %(end)s; "
                "a workshop has one contract at a time."
            )
            % {
                "workshop": contract.workshop,
                "contract": clash,
                "start": format_day(clash.start),
                "end": format_day(clash.end) if clash.end else _("open"),
            }
        )


@transaction.atomic
def create_contract(*, workshop: Workshop, user=None, **fields) -> Contract:
    """A new contract for ``workshop``; the workshop's row is locked so two overlapping contracts
    cannot be made at once."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    contract = Contract(workshop=workshop, **fields)
    contract.full_clean()
    check_contract(contract)
    contract.save()
    log(contract, "wagtail.create", user=user)
    return contract


def contract_in_force(workshop: Workshop, day) -> Contract | None:
    contracts = overlapping(Contract.objects.filter(workshop=workshop), day, day)
    return contracts.select_related("partner").first()


def _set_fairness(model, obj, *, action, fairness, user, reason, assessment, assessed_on):
    """Lock ``obj``'s row, refuse an unknown status or an assessment older than the one in
    force, save the status, its day and its assessment, write the audit log, and let the cached
    public pages go (product pages show the status)."""
    if fairness not in Fairness.values:
        raise ValidationError(_("Unknown fairness status %(status)r.") % {"status": fairness})
    if len(assessment) > ASSESSMENT_LENGTH:
        raise ValidationError(
            _("An assessment reference has at most %(limit)s characters.")
            % {"limit": ASSESSMENT_LENGTH}
        )
    obj = model.objects.select_for_update().get(pk=obj.pk)
    assessed_on = assessed_on or timezone.localdate()
    if obj.fairness_since and assessed_on < obj.fairness_since:
        raise ValidationError(
            _(
                "%(subject)s's fairness status was set by an assessment signed %(since)s; one "
                "signed %(day)s is older and cannot replace it."
            )
            % {
                "subject": obj,
                "since": format_day(obj.fairness_since),
                "day": format_day(assessed_on),
            }
        )
    before = obj.fairness
    obj.fairness = fairness
    obj.fairness_since = assessed_on
    obj.fairness_assessment = assessment
    obj.save(update_fields=["fairness", "fairness_since", "fairness_assessment"])
    page_cache.invalidate()  # the shop's product pages show the status
    log(
        obj,
        action,
        user=user,
        data={
            "from": before,
            "to": fairness,
            "reason": reason,
            "assessment": assessment,
            "on": assessed_on.isoformat(),
        },
    )
    return obj


@transaction.atomic
def set_partner_fairness(
    *,
    partner: Partner,
    fairness: str,
    user=None,
    reason: str = "",
    assessment: str = "",
    assessed_on: datetime.date | None = None,
) -> Partner:
    """The one way a partner's fairness status changes: compliance's signed assessments call it
    with the assessment's reference and the day it was signed (``assessed_on``, today when not
    given). An assessment signed before the one in force is refused: a newer one supersedes an
    older one, never the reverse."""
    return _set_fairness(
        Partner,
        partner,
        action="bridgework.partner_fairness",
        fairness=fairness,
        user=user,
        reason=reason,
        assessment=assessment,
        assessed_on=assessed_on,
    )


@transaction.atomic
def set_workshop_fairness(
    *,
    workshop: Workshop,
    fairness: str,
    user=None,
    reason: str = "",
    assessment: str = "",
    assessed_on: datetime.date | None = None,
) -> Workshop:
    """The one way a workshop's own fairness status changes (an assessment of the workshop
    itself, e.g. one the administration runs); as ``set_partner_fairness``."""
    return _set_fairness(
        Workshop,
        workshop,
        action="bridgework.workshop_fairness",
        fairness=fairness,
        user=user,
        reason=reason,
        assessment=assessment,
        assessed_on=assessed_on,
    )
