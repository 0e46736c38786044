"""The payslip tests' world: week 1 of the pay-run world posted (``tests.wages.payrun_builders``)
with work in two workshops for the first worker, at two payers and rates:

    W-000000  tailoring (own, 2.00 an hour, 0.125 a piece) Mon 2 Nov 6 h 40 pieces,
              Tue 3 Nov 2 h; bakery (partner, 6.50 an hour, 0.10 a piece) Wed 4 Nov 4 h 10 pieces;
              training Thu 5 Nov 2 h at 1.00
    W-000001  tailoring Mon 2 Nov 3 h; reads French

The family and release-savings categories are marked as such (``DeductionCategory.use``), so the
slips show those balances too.

and the text of a PDF, read back with pdftotext."""

import subprocess

from core.testing.tools import require_executable
from tests.wages.payrun_builders import D, attend, posted, record
from workshops.models import DeductionCategory


def build_slips_world(pay):
    first, second = pay.workers[0], pay.workers[1]
    second.language = "fr"
    second.save(update_fields=["language"])
    DeductionCategory.objects.filter(code="family").update(use=DeductionCategory.Use.FAMILY)
    DeductionCategory.objects.filter(code="release-savings").update(
        use=DeductionCategory.Use.RELEASE_SAVINGS
    )
    record(pay, first, pay.tailoring, D(2026, 11, 2), "6", 40)
    record(pay, first, pay.tailoring, D(2026, 11, 3), "2", 0)
    record(pay, first, pay.bakery, D(2026, 11, 4), "4", 10)
    attend(pay, first, D(2026, 11, 5), "2")
    record(pay, second, pay.tailoring, D(2026, 11, 2), "3", 0)
    pay.run = posted(pay)
    return pay


def pdf_text(pdf: bytes) -> str:
    require_executable("pdftotext")
    return subprocess.run(  # nosec B603 B607: a fixed command on test bytes
        ["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
