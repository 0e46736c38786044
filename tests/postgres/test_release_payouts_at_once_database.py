"""Paying a released worker out twice at once, on real PostgreSQL connections: one payment, one
journal, one receipt; the other officer is told, in words, that the worker was paid out."""

from functools import partial

import pytest
from django.core.exceptions import ValidationError

from brand.demo.seed import ensure_wagtail_roots
from core.testing.database import race
from tests.wages.payrun_builders import build_pay_world
from tests.wages.release_builders import build_released
from wages.ledger import verify_ledger
from wages.ledger.worker_accounts import balances
from wages.models import Journal, ReleaseSettlement
from wages.releases.payouts import release_payout

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


def test_two_officers_paying_out_one_worker_at_once_make_one_payment():
    pay = build_pay_world()
    settlement = build_released(pay)
    pay_out = partial(release_payout, settlement=settlement)

    outcomes = race(
        partial(pay_out, method="cash", user=pay.approver),
        partial(pay_out, method="transfer", iban="DE89370400440532013000", user=pay.calculator),
    )

    paid = [o for o in outcomes if isinstance(o, ReleaseSettlement)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert (len(paid), len(refused)) == (1, 1)
    assert "a worker is paid out once" in refused[0].messages[0]
    assert Journal.objects.filter(key__startswith="release:").count() == 1
    assert sum(balances(pay.workers[0]).values()) == 0
    settlement.refresh_from_db()
    assert settlement.method == paid[0].method
    assert verify_ledger() == []
