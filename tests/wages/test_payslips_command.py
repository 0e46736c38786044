"""``manage.py payslips RUN_REFERENCE [--workshop SLUG] --output FILE.pdf`` (README, "Payslips"):
the run's slips as one PDF, made first when missing; clear errors, non-zero exit, no file."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from tests.wages.payrun_builders import WEEK_2, D, approved, record
from tests.wages.payslip_builders import build_slips_world, pdf_text
from wages.management.commands.payslips import Command
from wages.models import Payslip
from wages.payslips.generation import generate_payslips

pytestmark = pytest.mark.django_db


@pytest.fixture
def slips_world(pay_world):
    return build_slips_world(pay_world)


def write(reference, output, *options) -> str:
    out = io.StringIO()
    call_command("payslips", reference, "--output", str(output), *options, stdout=out)
    return out.getvalue()


def test_the_command_makes_missing_slips_and_writes_them_as_one_pdf(slips_world, tmp_path):
    pay, output = slips_world, tmp_path / "run.pdf"
    said = write(pay.run.reference, output)
    assert said == f"Wrote 2 payslip(s), 2 page(s), of {pay.run.reference} to {output}.\n"
    assert Payslip.objects.filter(run=pay.run).count() == 2
    text = pdf_text(output.read_bytes())
    assert text.index("W-000000") < text.index("W-000001")
    assert "Gross pay" in text  # W-000000, in English
    assert "Salaire brut" in text or "Page 1 sur 1" in text  # W-000001, in French
    assert len(PdfReader(output).pages) == 2


def test_a_workshop_gives_the_slips_of_its_workers_from_storage(slips_world, tmp_path):
    pay, output = slips_world, tmp_path / "bakery.pdf"
    generate_payslips(pay.run, user=pay.approver)
    stored = Payslip.objects.get(run=pay.run, worker=pay.workers[0])
    write(pay.run.reference, output, "--workshop", pay.bakery.slug)
    with stored.document.file.open("rb") as original:
        first_page = PdfReader(io.BytesIO(original.read())).pages[0].extract_text()
    assert PdfReader(output).pages[0].extract_text() == first_page
    assert len(PdfReader(output).pages) == 1


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unknown run", "No pay run PR-nowhere: give the reference of a posted run."),
        ("not posted", "is approved: payslips are made only for a posted run. Post it first."),
        ("unknown workshop", "No workshop nowhere: give a workshop's slug."),
        ("no slips", "Workshop crew-north has no payslips in pay run"),
    ],
)
def test_errors_are_in_words_and_write_nothing(slips_world, tmp_path, case, message):
    pay, output = slips_world, tmp_path / "out.pdf"
    reference, options = pay.run.reference, []
    if case == "unknown run":
        reference = "PR-nowhere"
    elif case == "not posted":
        record(pay, pay.workers[0], pay.tailoring, D(2026, 11, 9), "5", 0)
        reference = approved(pay, WEEK_2).reference
    elif case == "unknown workshop":
        options = ["--workshop", "nowhere"]
    else:
        options = ["--workshop", pay.crew.slug]
    with pytest.raises(CommandError, match=message):
        write(reference, output, *options)
    assert not output.exists()
    assert list(tmp_path.iterdir()) == []


def test_an_error_exits_non_zero(slips_world, tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(
            ["manage.py", "payslips", "PR-nowhere", "--output", str(tmp_path / "x.pdf")]
        )
    assert exited.value.code == 1
    assert "No pay run PR-nowhere" in capsys.readouterr().err
