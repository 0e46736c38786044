"""Fixtures of the pay-run tests (``tests.wages.payrun_builders`` says what the world holds)."""

import pytest

from tests.wages.payrun_builders import build_pay_world


@pytest.fixture
def pay_world():
    return build_pay_world()


@pytest.fixture
def unpriced_world():
    """Three workers, the workshops and the enrolments, without rates, contract, benchmarks or
    policy."""
    return build_pay_world(priced=False, workers=3)
