"""Certificates for the demo: everyone who attended a course's hours and passed its assessment,
issued by the programme manager in the holder's language, the women welders of Ain Zahra among
them; one certificate revoked and one reissued under the name its holder now uses.

They are signed with a demo key: when ``BRIDGEWORK_SIGNING_KEYS_FILE`` names a file that does not
exist yet (the local demo's ``var/demo-signing-keys``, see ``brand.settings.dev``), the seed
writes a new key there. Nothing else ever makes a key.
"""

import datetime
import os
from pathlib import Path

from django.contrib.auth import get_user_model

from core import signing
from workshops.models import Assessment, Certificate, Enrolment
from workshops.training.attendance import hours_attended
from workshops.training.certificates import (
    issue_certificate,
    reissue_certificate,
    revoke_certificate,
)

DEMO_KEY_ID = "demo-2026"
ISSUED_AFTER = datetime.timedelta(days=7)
REVOKED = ("baker-3", "The assessment was recorded against the wrong learner; reassessment booked.")
REISSUED = ("welder-3", 1)  # reissued when its holder took a second family name


def ensure_demo_signing_key() -> str | None:
    """Write a demo key to the configured keys file when there is none; its path, if written."""
    if os.environ.get("BRIDGEWORK_SIGNING_KEYS"):
        return None
    path = os.environ.get("BRIDGEWORK_SIGNING_KEYS_FILE", "")
    if not path or Path(path).exists():
        return None
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as keys_file:
        keys_file.write("# The demo's certificate signing key: for the local demo only.\n")
        keys_file.write(signing.new_key_line(DEMO_KEY_ID) + "\n")
    signing.configured_keys.cache_clear()
    return path


def chosen_name(worker) -> str:
    """The demo's holders chose the name they go by: their given name and family name."""
    return worker.legal_name


def seed_certificates() -> dict:
    ensure_demo_signing_key()
    manager = get_user_model().objects.get(username="programme")
    passed = Assessment.objects.filter(outcome=Assessment.Outcome.PASSED)
    enrolments = (
        Enrolment.objects.filter(assessments__in=passed, certificates__isnull=True)
        .select_related("course", "worker")
        .order_by("course__code", "worker__reference")
        .distinct()
    )
    issued = {}
    for enrolment in enrolments:
        if hours_attended(enrolment) < enrolment.course.required_hours:
            continue
        assessed_on = passed.filter(enrolment=enrolment).latest("assessed_on").assessed_on
        certificate = issue_certificate(
            enrolment=enrolment,
            holder_name=chosen_name(enrolment.worker),
            user=manager,
            on=assessed_on + ISSUED_AFTER,
        )
        issued.setdefault(enrolment.course.code, []).append(certificate)
    if issued.get(REVOKED[0]):
        certificate = issued[REVOKED[0]][-1]
        revoke_certificate(
            certificate=certificate,
            reason=REVOKED[1],
            user=manager,
            on=certificate.issued_on + datetime.timedelta(days=2),
        )
    code, index = REISSUED
    if len(issued.get(code, [])) > index:
        old = issued[code][index]
        reissue_certificate(
            certificate=old,
            holder_name=f"{old.holder_name} El Fassi",
            user=manager,
            on=old.issued_on + datetime.timedelta(days=3),
        )
    return {"certificates": Certificate.objects.count()}
