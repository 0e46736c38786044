"""Contracts with partners, and the partner's fairness status.

A workshop has at most one contract in force on any day (refused otherwise), so the partner of any
day's work follows from the workshop and the date.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.formatting import format_day
from workshops.models import Contract, Partner, Workshop
from workshops.register.assignments import overlapping


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


@transaction.atomic
def set_partner_fairness(
    *, partner: Partner, fairness: str, user=None, reason: str = ""
) -> Partner:
    """The one way a partner's fairness status changes: compliance's signed assessments call it."""
    if fairness not in Partner.Fairness.values:
        raise ValidationError(_("Unknown fairness status %(status)r.") % {"status": fairness})
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    before = partner.fairness
    partner.fairness = fairness
    partner.save(update_fields=["fairness"])
    log(
        partner,
        "bridgework.partner_fairness",
        user=user,
        data={"from": before, "to": fairness, "reason": reason},
    )
    return partner
