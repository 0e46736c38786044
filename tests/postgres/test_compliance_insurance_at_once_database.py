"""Injury insurance covers recorded at the same moment on PostgreSQL, with real connections: two
overlapping covers of one partner and placement, and exactly one lands; the other is refused in
the same words as the Python check, naming the cover that landed (the exclusion constraint of
compliance migration 0001 turned into a ``ValidationError``)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from compliance.models import InsuranceCover
from compliance.register import operations
from compliance.register.operations import save_insurance
from core.testing.database import race
from tests.compliance.office_builders import build_partner_world, staff

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
D = datetime.date


@pytest.mark.parametrize("past_the_python_check", [True, False])
def test_two_overlapping_covers_recorded_at_once_one_lands(monkeypatch, past_the_python_check):
    partner, _, _ = build_partner_world()
    programme = staff("programme")
    if past_the_python_check:  # as two requests that both read before either wrote
        monkeypatch.setattr(operations, "_no_overlap", lambda cover: None)

    def record(policy, start, end):
        return lambda: save_insurance(
            user=programme,
            cover=InsuranceCover(
                partner=partner, insurer="Mutual", policy_number=policy, start=start, end=end
            ),
        )

    outcomes = race(
        record("POL-1", D(2026, 1, 1), D(2026, 6, 30)),
        record("POL-2", D(2026, 3, 1), D(2026, 12, 31)),
    )

    landed = [o for o in outcomes if isinstance(o, InsuranceCover)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(landed) == 1 and len(refused) == 1
    stored = InsuranceCover.objects.get()
    assert stored.pk == landed[0].pk
    assert refused[0].messages == [
        f"Acme is already insured for all of its work by Mutual (policy {stored.policy_number}) "
        f"from {stored.start:%b} {stored.start.day}, 2026 to {stored.end:%b} {stored.end.day}, "
        "2026: covers of the same partner and placement never overlap."
    ]
