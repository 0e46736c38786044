"""Two workers making a run's payslips at once (the job and ``manage.py payslips``, say) make one
slip per worker: the database's unique key on run and worker decides, and the loser's stored file
is removed again (``wages.payslips.generation``)."""

from functools import partial

import pytest

from brand.demo.seed import ensure_wagtail_roots
from core.private_files import PrivateFile
from core.testing.database import race
from tests.wages.payrun_builders import build_pay_world
from tests.wages.payslip_builders import build_slips_world
from wages.models import Payslip
from wages.payslips.generation import generate_payslips

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


def test_two_generations_at_once_make_one_slip_per_worker():
    pay = build_slips_world(build_pay_world())
    made = race(
        partial(generate_payslips, pay.run, user=pay.approver),
        partial(generate_payslips, pay.run, user=pay.approver),
    )
    assert sum(made) == 2
    assert Payslip.objects.filter(run=pay.run).count() == 2
    assert PrivateFile.objects.filter(purpose="payslip").count() == 2
    assert sorted(Payslip.objects.values_list("worker__reference", flat=True)) == [
        "W-000000",
        "W-000001",
    ]
