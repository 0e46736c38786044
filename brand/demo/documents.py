"""Signed documents for the demo: a one-page PDF standing in for a scanned consent form, built by
hand so the demo needs neither WeasyPrint's fonts nor a download."""

from django.core.files.uploadedfile import SimpleUploadedFile

from core.private_files import PrivateFile, store_private_file
from core.uploads import PDF


def _escaped(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def one_page_pdf(lines: list[str]) -> bytes:
    """A valid one-page A4 PDF showing ``lines`` (Latin-1 text) in Helvetica."""
    shown = " ".join(f"({_escaped(line)}) '" for line in lines)
    stream = f"BT /F1 11 Tf 72 790 Td 16 TL {shown} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def consent_document(lines: list[str]) -> PrivateFile:
    """A demo consent form stored as a private file, as an upload of the signed scan would be."""
    lines = ["Bridgework demo: signed consent form", "", *lines, "", "Fictional demo record."]
    upload = SimpleUploadedFile("consent.pdf", one_page_pdf(lines), content_type=PDF.content_type)
    return store_private_file(upload, purpose="consent", allowed=(PDF,))
