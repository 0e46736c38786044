"""Payees: an IBAN checked by schwifty and stored compact (the fault named when refused, nothing
saved), a BIC derived from the IBAN, one active payee per worker, consent recorded later, ending."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.private_files import PrivateFile
from tests.wages.remittance_builders import (
    TODAY,
    consent_upload,
    family_category,
    finance,
    programme,
)
from tests.workshops.builders import build_worker
from wages.models import Payee
from wages.remittances import payee_add, payee_end, payee_record_consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker():
    family_category()
    return build_worker("W-000001")


def add(worker, **kwargs):
    fields = {
        "worker": worker,
        "name": "Amina Haddad",
        "relationship": Payee.Relationship.PARENT,
        "iban": "de89 3704 0044 0532 0130 00",
        "user": programme(),
    }
    return payee_add(**(fields | kwargs))


def test_an_iban_is_stored_compact_with_the_bic_derived_and_the_consent_kept(worker):
    payee = add(worker, consented_on=TODAY(), document=consent_upload())
    assert (payee.iban, payee.bic, payee.country) == ("DE89370400440532013000", "COBADEFFXXX", "DE")
    assert payee.consented and payee.active
    assert payee.consent_document.purpose == "remittance-consent"


def test_an_invalid_iban_is_refused_naming_the_fault_and_nothing_is_saved(worker):
    with pytest.raises(ValidationError) as refused:
        add(worker, iban="DE89370400440532013001", consented_on=TODAY(), document=consent_upload())
    assert refused.value.messages == [
        "The IBAN DE89370400440532013001 is not valid: Invalid checksum digits. Check it "
        "against the signed form."
    ]
    assert (Payee.objects.count(), PrivateFile.objects.count()) == (0, 0)


def test_an_invalid_bic_and_a_consent_without_its_document_are_refused(worker):
    with pytest.raises(ValidationError) as refused:
        add(worker, bic="ZZZZ")
    assert refused.value.messages == [
        "The BIC ZZZZ is not valid: Invalid length '4'. Leave it empty to derive it from the IBAN."
    ]
    with pytest.raises(ValidationError):
        add(worker, consented_on=TODAY())
    assert Payee.objects.count() == 0


def test_one_active_payee_per_worker_until_it_is_ended(worker):
    first = add(worker)
    with pytest.raises(ValidationError) as refused:
        add(worker, name="Someone Else")
    assert refused.value.messages == [
        "W-000001 already has an active payee, Amina Haddad: end it first."
    ]
    assert Payee.objects.count() == 1
    payee_end(payee=first, on=TODAY(), user=programme())
    with pytest.raises(ValidationError):
        payee_end(payee=first, on=TODAY(), user=programme())
    second = add(worker, name="Someone Else")
    assert [p.active for p in (Payee.objects.get(pk=first.pk), second)] == [False, True]


def test_consent_recorded_later_once(worker):
    payee = add(worker)
    assert not payee.consented
    payee = payee_record_consent(
        payee=payee,
        consented_on=TODAY() - datetime.timedelta(days=1),
        document=consent_upload(),
        user=programme(),
    )
    assert payee.consented
    with pytest.raises(ValidationError):
        payee_record_consent(
            payee=payee, consented_on=TODAY(), document=consent_upload(), user=programme()
        )
    assert PrivateFile.objects.count() == 1


def test_finance_officers_read_payees_but_do_not_keep_them(worker):
    with pytest.raises(PermissionDenied):
        add(worker, user=finance())
    assert Payee.objects.count() == 0
