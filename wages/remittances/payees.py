"""The payees workers name for their family balance, kept by programme managers: they record
consent documents for the programme already (DESIGN.md, "Who uses it") and may see the worker's
identity the signed form carries. Finance officers read payees to send money; auditors read them.

    payee_add(*, worker, name, relationship, iban, bic="", consented_on=None, document=None, user)
    payee_record_consent(*, payee, consented_on, document, user)
    payee_end(*, payee, on, user)

An IBAN is checked by ``schwifty`` and stored compact; a refused one names the fault schwifty
found. A BIC is optional: when left empty it is derived from the IBAN where schwifty knows the
bank. ``document`` is the signed consent (PDF, PNG or JPEG upload), stored privately. A payee
without consent is kept but receives nothing (``wages.remittances.producing``). ILO C029: money
leaves a worker's account only where the worker agreed to it in writing.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from wagtail.log_actions import log

from core.private_files import store_private_file
from core.uploads import JPEG, PDF, PNG, UploadRefused
from wages.models import Payee

KEEP = "wages.add_payee"
END = "wages.change_payee"
CONSENT_PURPOSE = "remittance-consent"
CONSENT_KINDS = (PDF, PNG, JPEG)


def checked_iban(value: str) -> IBAN:
    try:
        return IBAN(value)
    except SchwiftyException as fault:
        raise ValidationError(
            _("The IBAN %(iban)s is not valid: %(fault)s. Check it against the signed form.")
            % {"iban": value, "fault": fault}
        ) from None


def checked_bic(value: str, iban: IBAN) -> str:
    if not value.strip():
        derived = iban.bic
        return derived.compact if derived is not None else ""
    try:
        return BIC(value).compact
    except SchwiftyException as fault:
        raise ValidationError(
            _("The BIC %(bic)s is not valid: %(fault)s. Leave it empty to derive it from the IBAN.")
            % {"bic": value, "fault": fault}
        ) from None


def _consent_file(document, consented_on: datetime.date, user):
    if consented_on > timezone.localdate():
        raise ValidationError(_("A consent cannot be signed on a day still to come."))
    try:
        return store_private_file(
            document, purpose=CONSENT_PURPOSE, allowed=CONSENT_KINDS, user=user
        )
    except UploadRefused as refused:
        raise ValidationError(str(refused)) from None


@transaction.atomic
def payee_add(
    *,
    worker,
    name: str,
    relationship: str,
    iban: str,
    bic: str = "",
    consented_on: datetime.date | None = None,
    document=None,
    user,
) -> Payee:
    if not user.has_perm(KEEP):
        raise PermissionDenied(_("You may not record payees."))
    checked = checked_iban(iban)
    bic = checked_bic(bic, checked)
    if (consented_on is None) != (document is None):
        raise ValidationError(
            _("Record the consent with both the day it was signed and the signed document.")
        )
    type(worker).objects.select_for_update().get(pk=worker.pk)  # one active payee at a time
    active = Payee.objects.filter(worker=worker, ended_on__isnull=True).first()
    if active is not None:
        raise ValidationError(
            _("%(worker)s already has an active payee, %(name)s: end it first.")
            % {"worker": worker.reference, "name": active.name}
        )
    payee = Payee(
        worker=worker,
        name=name.strip(),
        relationship=relationship,
        iban=checked.compact,
        bic=bic,
        country=checked.country_code,
        recorded_by=user,
    )
    if document is not None:
        payee.consented_on = consented_on
        payee.consent_document = _consent_file(document, consented_on, user)
    payee.full_clean()
    payee.save()
    log(payee, "wagtail.create", user=user)
    return payee


@transaction.atomic
def payee_record_consent(*, payee: Payee, consented_on: datetime.date, document, user) -> Payee:
    if not user.has_perm(KEEP):
        raise PermissionDenied(_("You may not record payees."))
    payee = Payee.objects.select_for_update().get(pk=payee.pk)
    if payee.ended_on is not None:
        raise ValidationError(_("This payee was ended: record a new payee instead."))
    if payee.consented:
        raise ValidationError(_("This payee's consent is on file already."))
    payee.consented_on = consented_on
    payee.consent_document = _consent_file(document, consented_on, user)
    payee.save(update_fields=["consented_on", "consent_document"])
    log(payee, "bridgework.payee_consent_recorded", user=user)
    return payee


@transaction.atomic
def payee_end(*, payee: Payee, on: datetime.date, user) -> Payee:
    """The worker withdrew the payee (or named another): nothing more is sent to it. Money
    already sent stays sent; a later return still comes back to the worker's family account."""
    if not user.has_perm(END):
        raise PermissionDenied(_("You may not end payees."))
    payee = Payee.objects.select_for_update().get(pk=payee.pk)
    if payee.ended_on is not None:
        raise ValidationError(_("This payee was ended already."))
    if on > timezone.localdate():
        raise ValidationError(_("A payee is ended today or on a day past."))
    payee.ended_on, payee.ended_by = on, user
    payee.save(update_fields=["ended_on", "ended_by"])
    log(payee, "bridgework.payee_ended", user=user)
    return payee
