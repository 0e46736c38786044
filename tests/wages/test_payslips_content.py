"""What a payslip says (``wages.payslips.content``, ``templates/wages/payslip.html``), read back
from the stored PDF with pdftotext; a reprint is the same bytes; balances are the run's, not
today's. The world: ``tests.wages.payslip_builders``."""

import hashlib
import re
from decimal import Decimal

import pytest

from core.testing.twofactor import login_with_second_factor
from tests.wages.payrun_builders import WEEK_2, D, line_of, posted, record
from tests.wages.payslip_builders import build_slips_world, pdf_text
from wages.models import PayRunLine, Payslip
from wages.payslips.generation import generate_payslips

pytestmark = pytest.mark.django_db


@pytest.fixture
def slips_world(pay_world):
    return build_slips_world(pay_world)


def slip_text(run, worker) -> str:
    payslip = Payslip.objects.get(run=run, worker=worker)
    with payslip.document.file.open("rb") as stored:
        return " ".join(pdf_text(stored.read()).split())  # one space between words


def test_a_slip_shows_each_figure_of_the_workers_pay(slips_world):
    pay = slips_world
    assert generate_payslips(pay.run, user=pay.approver) == 2
    text = slip_text(pay.run, pay.workers[0])
    reference = pay.run.reference
    expected = [
        f"Payslip North Prison Worker: W-000000 Period: Nov 2, 2026 – Nov 8, 2026 Pay run: "
        f"{reference} WORK Workshop Days Hours Pieces Per hour Per piece",
        # tailoring, own work: 8 h × 2.00 + 40 pieces × 0.125 = 16.00 + 5.00 = 21.00
        "Nov 2, 2026 – Nov 3, 2026 8.00 40 €2.00 €0.125",
        # bakery, the partner's contract: 4 h × 6.50 + 10 × 0.10 = 26.00 + 1.00 = 27.00
        "Nov 4, 2026 4.00 10 €6.50 €0.10 Total 12.00 50",
        "PAY Work €48.00 Training, 2.00 h at €1.00 €2.00 Adjustments of earlier runs €0.00 "
        "Gross pay €50.00",
        # the policy: family 10 %, release savings 20 %, victims' fund 5 % of 50.00
        "SET ASIDE FROM GROSS Family €5.00 Release-Savings €10.00 Victims-Fund €2.50 "
        "Total set aside €17.50 To own spending €32.50",
        # the bakery's 27.00 for 4 h is 6.75 an hour against the market's 7.00: 4 × 0.25
        "ALSO IN THIS RUN Back wages owed for this period €1.00 Back wages paid out €0.00",
        "BALANCES AFTER THIS RUN Own spending €32.50 Family €5.00 Release-Savings €10.00 "
        "Back wages owed €1.00",
        f"W-000000 · pay run {reference}, posted on",
    ]
    for figure in expected:
        assert figure in text, figure
    assert "Makers' share" not in text  # zero: not shown
    assert pay.workers[0].legal_name not in text
    assert pay.workers[0].prison_number not in text


def test_a_slip_is_in_the_workers_language(slips_world):
    pay = slips_world
    generate_payslips(pay.run, user=pay.approver)
    payslip = Payslip.objects.get(run=pay.run, worker=pay.workers[1])
    assert (payslip.language, payslip.pages) == ("fr", 1)
    text = slip_text(pay.run, pay.workers[1])
    # 3 h × 2.00 = 6.00 gross, in French money and dates
    assert re.search(r"6,00\s€", text)
    assert "02/11/2026 – 08/11/2026" in text
    assert "Page 1 sur 1" in text


def test_the_makers_share_of_sales_is_shown_when_not_zero(slips_world):
    pay = slips_world
    PayRunLine.objects.filter(run=pay.run, worker=pay.workers[0]).update(
        sales_share=Decimal("3.10"), back_wages_paid=Decimal("4.20")
    )
    generate_payslips(pay.run, user=pay.approver)
    text = slip_text(pay.run, pay.workers[0])
    assert "Makers' share of sales €3.10" in text
    assert "Back wages paid out €4.20" in text


def test_a_reprint_is_the_stored_bytes(slips_world, client):
    pay = slips_world
    generate_payslips(pay.run, user=pay.approver)
    payslip = Payslip.objects.get(run=pay.run, worker=pay.workers[0])
    login_with_second_factor(client, pay.approver)
    first = b"".join(client.get(f"/admin/wages/payslips/{payslip.pk}.pdf").streaming_content)
    assert generate_payslips(pay.run, user=pay.approver) == 0  # nothing made again
    again = b"".join(client.get(f"/admin/wages/payslips/{payslip.pk}.pdf").streaming_content)
    assert first == again
    assert hashlib.sha256(again).hexdigest() == payslip.sha256 == payslip.document.sha256


def test_balances_are_those_after_the_run_not_today(slips_world):
    """Week 2 pays W-000000 more; week 1's slip, made after that, shows week 1's balances."""
    pay = slips_world
    record(pay, pay.workers[0], pay.tailoring, D(2026, 11, 9), "5", 0)  # 10.00 more
    week_2 = posted(pay, WEEK_2)
    assert line_of(week_2, pay.workers[0]).own_spending == Decimal("6.50")
    generate_payslips(pay.run, user=pay.approver)
    text = slip_text(pay.run, pay.workers[0])
    assert "RUN Own spending €32.50 Family €5.00 Release-Savings €10.00" in text
    generate_payslips(week_2, user=pay.approver)
    later = slip_text(week_2, pay.workers[0])
    # 32.50 + 6.50; 5.00 + 1.00; 10.00 + 2.00
    assert "Own spending €39.00 Family €6.00 Release-Savings €12.00" in later
