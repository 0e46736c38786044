"""Two people at once cannot break the register's invariants: the operations lock the row they
guard (the workshop for contracts, the worker for assignments), so on PostgreSQL with two real
connections exactly one of two overlapping requests wins and the other is refused."""

import pytest
from django.core.exceptions import ValidationError

from brand.demo.seed import ensure_wagtail_roots
from core.testing.database import race as race_calls
from tests.workshops.builders import D, build_partner, build_worker, build_workshop, contract_fields
from workshops.models import Assignment, Contract
from workshops.register.assignments import assign_worker
from workshops.register.contracts import create_contract

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


def race(*calls):
    """Both calls at once (``core.testing.database.race``): "made", or the refusal's message,
    the made ones first."""
    outcomes = [
        outcome.messages[0] if isinstance(outcome, ValidationError) else "made"
        for outcome in race_calls(*calls)
    ]
    return sorted(outcomes, key=lambda outcome: outcome != "made")


def test_two_overlapping_contracts_at_once_one_is_refused():
    workshop = build_workshop()
    partner = build_partner()

    outcomes = race(
        lambda: create_contract(workshop=workshop, **contract_fields(partner, reference="C-A")),
        lambda: create_contract(
            workshop=workshop, **contract_fields(partner, reference="C-B", start=D(2026, 2, 1))
        ),
    )

    assert outcomes[0] == "made"
    assert outcomes[1].startswith("Workshop bakery-north already has contract C-")
    assert Contract.objects.count() == 1


def test_two_overlapping_assignments_at_once_one_is_refused():
    workshop = build_workshop()
    worker = build_worker(prison=workshop.prison, since=D(2026, 1, 1))

    outcomes = race(
        lambda: assign_worker(worker=worker, workshop=workshop, start=D(2026, 2, 1)),
        lambda: assign_worker(worker=worker, workshop=workshop, start=D(2026, 3, 1)),
    )

    assert outcomes[0] == "made"
    assert outcomes[1] in {
        f"W-000001 is already assigned to Workshop bakery-north from {first} to open."
        for first in ("Feb 1, 2026", "Mar 1, 2026")
    }
    assert Assignment.objects.count() == 1
