"""Issuing, revoking and reissuing certificates, and checking one.

``issue_certificate`` refuses unless the course's hours were attended and an assessment was
passed; it signs the certificate's canonical content with the configured key (``core.signing``).
``revoke_certificate`` records a date and a reason; ``reissue_certificate`` (a new name after
release, say) issues a new certificate for the same achievement and marks the old one superseded.
``certificate_status`` says what the verification page must say: valid, revoked, superseded, or
not valid when the stored content or signature no longer match. Each operation writes the audit
log. Nothing in a certificate names a prison, a prison number or a pseudonymous reference.
"""

import base64
import datetime
import json
import unicodedata
from enum import StrEnum

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.log_actions import log

from core.pdf import render_pdf
from core.signing import Signature, canonical_bytes, sign, verify
from workshops.models import Certificate, Enrolment
from workshops.training.attendance import passed_assessment
from workshops.training.progress import progress_of

# 2: the awarding body's qualification code, the holder's language, and the qualification, level
# and awarding body in that language where translated. Version 1 certificates verify as signed.
CONTENT_VERSION = 2
# Called with ``certificate`` and ``user`` after a certificate is issued, revoked or reissued (the
# brand recomputes its impact figures).
CERTIFICATES_CHANGED = "bridgework_certificates_changed"


class Status(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    NOT_VALID = "not_valid"  # content or signature altered, or signed by an unknown key


def certificate_content(*, public_id, enrolment, holder_name, awarded_on, language) -> dict:
    """The canonical content, all that the verification page shows: the qualification, level and
    awarding body as the awarding body writes them, and under ``translated`` those of them that
    have a translation in the holder's chosen ``language`` (printed on the PDF and the page).
    Stored exactly as signed (text in Unicode NFC), so the downloaded content verifies as is."""
    course = enrolment.course
    content = {
        "version": CONTENT_VERSION,
        "certificate": public_id,
        "holder": holder_name,
        "language": language,
        "qualification": course.qualification,
        "qualification_code": course.qualification_code,
        "level": course.level,
        "awarding_body": course.awarding_body,
        "awarded_on": awarded_on.isoformat(),
    }
    if translated := course.translated(language):
        content["translated"] = translated
    return json.loads(canonical_bytes(content))


def in_holders_language(content: dict) -> dict:
    """The qualification, level and awarding body to print: the holder's language where the
    certificate carries a translation, else as the awarding body writes them."""
    translated = content.get("translated", {})
    return {
        key: translated.get(key, content[key])
        for key in ("qualification", "level", "awarding_body")
    }


def verify_url(certificate: Certificate) -> str:
    """The certificate's public verification address, under the neutral base URL."""
    base = settings.CERTIFICATE_VERIFY_BASE_URL.rstrip("/")
    return base + reverse("certificate_verify", args=[certificate.public_id])


def _check_holder_name(holder_name: str) -> str:
    holder_name = unicodedata.normalize("NFC", " ".join(holder_name.split()))
    if not holder_name:
        raise ValidationError(_("Give the name the holder chose to have on the certificate."))
    return holder_name


def _announce(certificate: Certificate, user) -> None:
    for handler in hooks.get_hooks(CERTIFICATES_CHANGED):
        handler(certificate=certificate, user=user)


def _issue(*, enrolment, holder_name, language, awarded_on, user, on) -> Certificate:
    certificate = Certificate(
        enrolment=enrolment,
        holder_name=holder_name,
        language=language,
        issued_on=on,
        issued_by=user,
    )
    certificate.content = certificate_content(
        public_id=certificate.public_id,
        enrolment=enrolment,
        holder_name=holder_name,
        awarded_on=awarded_on,
        language=language,
    )
    signature = sign(certificate.content)
    certificate.key_id, certificate.signature = signature.key_id, signature.value
    certificate.save()
    return certificate


@transaction.atomic
def issue_certificate(
    *,
    enrolment: Enrolment,
    holder_name: str,
    user,
    language: str = "",
    on: datetime.date | None = None,
) -> Certificate:
    """Issue the certificate of ``enrolment``'s course; refuses (``ValidationError``, nothing
    saved) short of the required hours, without a passed assessment, or while a certificate of
    this enrolment is in force."""
    Enrolment.objects.select_for_update().get(pk=enrolment.pk)  # one issue at a time
    enrolment = progress_of(enrolment)
    holder_name = _check_holder_name(holder_name)
    problems = []
    if enrolment.attended < enrolment.course.required_hours:
        problems.append(
            _("%(hours)s of the %(required)s hours the course requires were attended.")
            % {"hours": enrolment.attended, "required": enrolment.course.required_hours}
        )
    if not enrolment.passed:
        problems.append(_("No passed assessment is recorded for this enrolment."))
    if enrolment.certified:
        problems.append(
            _("A certificate of this enrolment is in force: reissue or revoke it instead.")
        )
    if problems:
        raise ValidationError(problems)
    certificate = _issue(
        enrolment=enrolment,
        holder_name=holder_name,
        language=language or enrolment.worker.language,
        awarded_on=passed_assessment(enrolment).assessed_on,
        user=user,
        on=on or timezone.localdate(),
    )
    log(certificate, "bridgework.certificate_issued", user=user)
    _announce(certificate, user)
    return certificate


@transaction.atomic
def revoke_certificate(
    *, certificate: Certificate, reason: str, user, on: datetime.date | None = None
) -> Certificate:
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    reason = reason.strip()
    if certificate.revoked_on is not None:
        raise ValidationError(_("This certificate is already revoked."))
    if not reason:
        raise ValidationError(_("A revocation needs a reason."))
    on = on or timezone.localdate()
    if on < certificate.issued_on:
        raise ValidationError(_("A certificate cannot be revoked before it is issued."))
    if on > timezone.localdate():
        raise ValidationError(_("A revocation cannot be dated in the future."))
    certificate.revoked_on, certificate.revocation_reason = on, reason
    certificate.save(update_fields=["revoked_on", "revocation_reason"])
    log(certificate, "bridgework.certificate_revoked", user=user, data={"reason": reason})
    _announce(certificate, user)
    return certificate


@transaction.atomic
def reissue_certificate(
    *,
    certificate: Certificate,
    holder_name: str,
    user,
    language: str = "",
    on: datetime.date | None = None,
) -> Certificate:
    """A new certificate for the same achievement (a new name, another language); the old one
    is superseded and its verification page points to the new one."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_on is not None:
        raise ValidationError(_("A revoked certificate cannot be reissued."))
    if certificate.superseded_by_id is not None:
        raise ValidationError(_("This certificate was already reissued."))
    new = _issue(
        enrolment=certificate.enrolment,
        holder_name=_check_holder_name(holder_name),
        language=language or certificate.language,
        awarded_on=datetime.date.fromisoformat(certificate.content["awarded_on"]),
        user=user,
        on=on or timezone.localdate(),
    )
    certificate.superseded_by = new
    certificate.save(update_fields=["superseded_by"])
    log(certificate, "bridgework.certificate_superseded", user=user, data={"by": new.public_id})
    _announce(new, user)
    log(new, "bridgework.certificate_issued", user=user, data={"supersedes": certificate.public_id})
    return new


def certificate_status(certificate: Certificate, *, published: dict | None = None) -> Status:
    """What a verifier must be told: the signature is checked first, so an altered record is
    never shown as valid, revoked or superseded."""
    intact = certificate.content.get("certificate") == certificate.public_id and verify(
        certificate.content,
        Signature(certificate.key_id, certificate.signature),
        published=published,
    )
    if not intact:
        return Status.NOT_VALID
    if certificate.revoked_on is not None:
        return Status.REVOKED
    if certificate.superseded_by_id is not None:
        return Status.SUPERSEDED
    return Status.VALID


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=0)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate to hand to its holder: a PDF in the language they chose, laid out like a
    community certificate of the qualification, with a QR code of its verification address. It
    shows the awarding body, the qualification and level, the name the holder chose and the
    dates; nothing else about the holder, and no brand or prison."""
    content = certificate.content
    course = certificate.enrolment.course
    url = verify_url(certificate)
    printed = in_holders_language(content)
    if content["version"] == 1 and course.qualification == content["qualification"]:
        printed["qualification"] = course.qualification_in(certificate.language)
    context = {
        "certificate": certificate,
        "content": content,
        "printed": printed,
        "qualification": printed["qualification"],
        "awarded_on": datetime.date.fromisoformat(content["awarded_on"]),
        "verify_url": url,
        "qr_code": _qr_data_uri(url),
    }
    return render_pdf(
        "workshops/certificates/certificate.html", context, language=certificate.language
    )
