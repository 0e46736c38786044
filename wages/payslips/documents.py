"""Payslip documents: one slip printed to PDF in its worker's language, and stored slips joined
into one PDF for printing (a workshop's, a prison's, the ``payslips`` command's).

    render_slip(slip, run) -> (bytes, pages)
    join_slips(payslips, out) -> pages       the stored PDFs, in order, written to ``out``

Joining reads the stored files as they are (the bytes whose hash each slip keeps) and writes the
result to a file, never to a string in memory: pypdf keeps the pages it joins until it writes, so
the caller gives a temporary file and streams it from there (``views``, the command).
"""

import io

from django.conf import settings
from pypdf import PdfReader, PdfWriter

from core.pdf import render_pdf
from wages.payslips.content import Slip

TEMPLATE = "wages/payslip.html"
FILE_NAME = "payslip-{run}-{worker}.pdf"


def render_slip(slip: Slip, run) -> tuple[bytes, int]:
    """The slip's PDF and its page count, in the worker's language (or the site's default when
    the worker's is no longer offered)."""
    pdf = render_pdf(
        TEMPLATE,
        {"slip": slip, "run": run},
        language=slip.language or settings.LANGUAGE_CODE,
    )
    return pdf, len(PdfReader(io.BytesIO(pdf)).pages)


def file_name(run, worker) -> str:
    return FILE_NAME.format(run=run.reference, worker=worker.reference)


def join_slips(payslips, out) -> int:
    """Append each stored slip's pages to ``out`` (a binary file), in the order given; the number
    of pages written. Each stored file is read, appended (pypdf copies its objects into the
    writer) and dropped in turn."""
    writer = PdfWriter()
    pages = 0
    for payslip in payslips:
        with payslip.document.file.open("rb") as stored:
            reader = PdfReader(io.BytesIO(stored.read()))
        writer.append(reader)
        pages += len(reader.pages)
    if pages:
        writer.write(out)
    writer.close()
    return pages
