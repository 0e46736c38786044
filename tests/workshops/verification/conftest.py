"""Fixtures of the public certificate verification's tests: the signing keys configured (one key
to start; the fixture reconfigures them), an enrolment earned and its certificate issued on a fixed
day (not the back office's ones of the workshops conftest), and a rate limit of 3 a minute."""

from decimal import Decimal

import pytest
from django.core.cache import cache

from core import signing
from tests.workshops.production_builders import TODAY, day
from tests.workshops.verification.checks import HOLDER, ISSUED_ON, SEED, key_line
from workshops.models import Assessment, Course, Enrolment
from workshops.training.attendance import record_attendance
from workshops.training.certificates import issue_certificate


@pytest.fixture(autouse=True)
def configure_keys(monkeypatch):
    """Sets BRIDGEWORK_SIGNING_KEYS to the given lines (the first signs); one key to start."""

    def configure(*lines):
        monkeypatch.setenv("BRIDGEWORK_SIGNING_KEYS", "\n".join(lines))
        signing.configured_keys.cache_clear()

    configure(key_line("test-2026", SEED))
    yield configure
    signing.configured_keys.cache_clear()


@pytest.fixture
def earned(world):
    """An enrolment with the course's 4 hours attended and an assessment passed on day(4)."""
    course = Course.objects.create(
        code="garment-2",
        trade=world.workshop.trade,
        qualification="Garment maker",
        qualification_code="NVA-GM-2",
        level="EQF level 2",
        awarding_body="National Vocational Authority",
        required_hours=Decimal(4),
        assessment="Practical test",
    )
    enrolment = Enrolment.objects.create(worker=world.workers[0], course=course, enrolled_on=day(0))
    for on in (day(1), day(2)):
        record_attendance(
            enrolment=enrolment,
            workshop=world.workshop,
            day=on,
            hours="2",
            trainer="A. Trainer",
            user=world.supervisor,
            today=TODAY,
        )
    Assessment.objects.create(
        enrolment=enrolment, assessed_on=day(4), outcome="passed", assessor="B. Assessor"
    )
    return enrolment


@pytest.fixture
def certificate(world, earned):
    return issue_certificate(
        enrolment=earned, holder_name=HOLDER, user=world.supervisor, on=ISSUED_ON
    )


@pytest.fixture
def low_rate(settings):
    settings.CERTIFICATE_VERIFY_RATE = "3/m"
    cache.clear()
    yield
    cache.clear()
