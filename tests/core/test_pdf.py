"""PDF rendering: what a document contains, and what it is refused to fetch."""

import base64
import datetime
import io
import socket
import subprocess
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from djmoney.money import Money
from PIL import Image
from weasyprint import HTML

from core.pdf import LOCAL_BASE_URL, PdfResourceRefused, SafeUrlFetcher, html_to_pdf, render_pdf
from core.testing.tools import require_executable

ARABIC_TITLE = "شهادة"  # "certificate"


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to reach the network fails the test, so a refusal proves nothing was fetched."""

    def refuse(*args, **kwargs):
        raise AssertionError("PDF rendering tried to use the network")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def png_bytes(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def sample_context(rows: int) -> dict:
    lines = [
        {
            "description": f"Oak chair, batch {number}",
            "quantity": 2,
            "unit_price": Money("85.00", "EUR"),
            "amount": Money("170.00", "EUR"),
        }
        for number in range(1, rows + 1)
    ]
    return {
        "title": "Specimen statement",
        "reference": "SPC-0042",
        "issued": datetime.date(2025, 3, 3),
        "introduction": "Lines made in the joinery workshop.",
        "rows": lines,
        "total": sum((line["amount"] for line in lines), Money(0, "EUR")),
    }


def write(pdf: bytes, tmp_path: Path) -> Path:
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    return path


def poppler(tool: str, *args) -> str:
    """Run a poppler-utils tool; its arguments are the test's own paths and flags."""
    command = [require_executable(tool), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def page_count(pdf: bytes, tmp_path: Path) -> int:
    info = poppler("pdfinfo", write(pdf, tmp_path))
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


def text_lines(pdf: bytes, tmp_path: Path) -> list[str]:
    text = poppler("pdftotext", write(pdf, tmp_path), "-")
    return [line.strip() for line in text.splitlines() if line.strip()]


def images(pdf: bytes, tmp_path: Path) -> list[tuple[int, int, int]]:
    """(page, width, height) of each image embedded in the PDF."""
    rows = [
        line.split()
        for line in poppler("pdfimages", "-list", write(pdf, tmp_path)).splitlines()[2:]
    ]
    return [(int(row[0]), int(row[3]), int(row[4])) for row in rows]


def test_html_to_pdf_returns_pdf_bytes():
    pdf = html_to_pdf("<p>Hello</p>")

    assert pdf[:5] == b"%PDF-"


def test_sample_of_45_rows_prints_on_two_pages(tmp_path):
    pdf = render_pdf("pdf/sample.html", sample_context(45))

    assert page_count(pdf, tmp_path) == 2
    assert (
        len(HTML(string=render_to_string("pdf/sample.html", sample_context(45))).render().pages)
        == 2
    )


def test_sample_text_carries_the_context_and_page_numbers(tmp_path):
    lines = text_lines(render_pdf("pdf/sample.html", sample_context(45)), tmp_path)

    assert lines[:5] == ["Specimen statement", "Reference", "SPC-0042", "Issued", "March 3, 2025"]
    assert "Lines made in the joinery workshop." in lines
    assert "Oak chair, batch 1" in lines
    assert "Oak chair, batch 45" in lines
    assert "€7,650.00" in lines
    assert [line for line in lines if line.startswith("Page ")] == ["Page 1 of 2", "Page 2 of 2"]
    assert lines.count("SPC-0042") == 3  # the header once, the running footer on both pages
    assert lines.count("Description") == 2  # the table header repeats on the second page


def test_base_template_alone_prints_nothing_but_the_page_number(tmp_path):
    """Certificates extend the same base, so it must not carry the brand or any other text."""
    pdf = render_pdf("pdf/base.html")

    assert text_lines(pdf, tmp_path) == ["Page 1 of 1"]


def test_right_to_left_language_sets_the_document_direction(tmp_path):
    with translation.override("ar"):
        html = render_to_string("pdf/base.html")
        pdf = render_pdf("pdf/sample.html", sample_context(3) | {"title": ARABIC_TITLE})

    assert '<html lang="ar" dir="rtl">' in html
    # pdftotext wraps right-to-left runs in the embedding marks RLE ... PDF.
    assert f"\u202b{ARABIC_TITLE}\u202c" in text_lines(pdf, tmp_path)


def test_a_document_is_rendered_in_the_language_asked_for(tmp_path):
    """Payslips in the worker's language, invoices in the order's: not the request's."""
    with translation.override("en"):
        french = text_lines(
            render_pdf("pdf/sample.html", sample_context(45), language="fr"), tmp_path
        )
        english = text_lines(render_pdf("pdf/sample.html", sample_context(1)), tmp_path)

    assert french[:5] == [
        "Specimen statement",
        "Référence",
        "SPC-0042",
        "Date d’émission",
        "3 mars 2025",
    ]
    assert "7 650,00 €" in [" ".join(line.split()) for line in french]  # pdftotext: plain spaces
    assert [line for line in french if line.startswith("Page ")] == ["Page 1 sur 2", "Page 2 sur 2"]
    assert english[1] == "Reference"
    assert translation.get_language() == "en"


def test_an_arabic_document_writes_its_page_numbers_and_amounts_the_arabic_way(tmp_path):
    lines = text_lines(render_pdf("pdf/sample.html", sample_context(1), language="ar"), tmp_path)

    # pdftotext writes right-to-left runs in visual order, wrapped in RLE ... PDF marks.
    assert "\u202bالمرجع\u202c" in lines
    assert lines.count("€ 170.00") == 2  # the line's amount and the total
    assert "1 \u202b من\u202c1 \u202bالصفحة\u202c" in lines  # "الصفحة 1 من 1": page 1 of 1


def test_page_renders_to_png_at_50_dpi(tmp_path):
    pdf_path = write(render_pdf("pdf/sample.html", sample_context(45)), tmp_path)

    poppler("pdftoppm", "-png", "-r", "50", pdf_path, tmp_path / "page")

    pages = sorted(path.name for path in tmp_path.glob("page-*.png"))
    assert pages == ["page-1.png", "page-2.png"]
    with Image.open(tmp_path / "page-1.png") as page:
        assert page.size == (414, 585)  # A4, 210 x 297 mm


@pytest.mark.parametrize(
    "html",
    [
        '<img src="https://example.com/x.png">',
        '<link rel="stylesheet" href="https://example.com/x.png">',
        '<div style="background-image: url(https://example.com/x.png)">x</div>',
        '<style>@import url("https://example.com/x.png");</style>',
        "<style>@font-face { font-family: X; src: url(https://example.com/x.png); }</style>"
        '<p style="font-family: X">x</p>',
        # WeasyPrint swallows fetch errors inside SVG; the render must fail all the same.
        '<img src="data:image/svg+xml,<svg xmlns=%22http://www.w3.org/2000/svg%22 '
        "xmlns:xlink=%22http://www.w3.org/1999/xlink%22 width=%2210%22 height=%2210%22>"
        '<image xlink:href=%22https://example.com/x.png%22 width=%2210%22 height=%2210%22/></svg>">',
    ],
    ids=["img", "stylesheet", "css-background", "css-import", "font-face", "inside-svg"],
)
def test_remote_resource_fails_the_render(html):
    with pytest.raises(PdfResourceRefused) as refused:
        html_to_pdf(html)

    assert str(refused.value) == (
        "PDF resource refused: https://example.com/x.png "
        "(a PDF may embed only data: URIs, static files and media files)"
    )
    assert refused.value.url == "https://example.com/x.png"


def test_path_traversal_in_a_document_is_refused():
    # WeasyPrint resolves the dot segments before fetching; what is left is outside both prefixes.
    with pytest.raises(PdfResourceRefused) as refused:
        html_to_pdf('<img src="/static/../../etc/passwd">')

    assert str(refused.value) == (
        "PDF resource refused: /etc/passwd "
        "(a PDF may embed only data: URIs, static files and media files)"
    )


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "logos").mkdir(parents=True)
    (tmp_path / "media" / "logos" / "mark.png").write_bytes(png_bytes(40, 20))
    return settings.MEDIA_ROOT


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("static/../../etc/passwd", "path traversal"),
        ("static/%2e%2e/%2e%2e/etc/passwd", "path traversal"),
        ("static//etc/passwd", "path traversal"),
        ("static/brand%5c..%5c..%5csettings.py", "path traversal"),
        ("media/../../etc/passwd", "path traversal"),
        ("media/logos/%2e%2e/%2e%2e/secret.txt", "path traversal"),
        ("media/escape/passwd", "outside MEDIA_ROOT"),
        ("static/pdf-test/missing.png", "no such static file"),
        ("media/logos/missing.png", "no such media file"),
        ("media/logos", "no such media file"),
        ("admin/login/", "a PDF may embed only data: URIs, static files and media files"),
    ],
)
def test_fetcher_refuses_what_is_not_a_static_or_media_file(media_root, path, reason):
    (media_root / "escape").symlink_to("/etc")
    fetcher = SafeUrlFetcher()

    with pytest.raises(PdfResourceRefused) as refused:
        fetcher.fetch(LOCAL_BASE_URL + path)

    assert str(refused.value) == f"PDF resource refused: /{path} ({reason})"
    assert fetcher.refused == [refused.value]


@pytest.fixture
def static_dir(settings, tmp_path):
    settings.STATICFILES_DIRS = [tmp_path / "static"]
    (tmp_path / "static" / "pdf-test").mkdir(parents=True)
    (tmp_path / "static" / "pdf-test" / "mark.png").write_bytes(png_bytes(30, 15))
    (tmp_path / "static" / "pdf-test" / "print.css").write_text("p { color: #123456; }")
    return tmp_path / "static"


def test_fetcher_serves_a_static_file_from_the_finders(static_dir):
    response = SafeUrlFetcher().fetch(LOCAL_BASE_URL + "static/pdf-test/print.css?v=2")

    assert response.read() == b"p { color: #123456; }"
    assert response.content_type == "text/css"


def test_static_image_and_stylesheet_are_embedded(static_dir, tmp_path):
    pdf = html_to_pdf(
        '<link rel="stylesheet" href="/static/pdf-test/print.css">'
        '<img src="/static/pdf-test/mark.png"><p>Styled</p>'
    )

    assert images(pdf, tmp_path) == [(1, 30, 15)]
    assert text_lines(pdf, tmp_path) == ["Styled"]


def test_media_image_is_embedded(media_root, tmp_path):
    pdf = html_to_pdf('<img src="/media/logos/mark.png">')

    assert images(pdf, tmp_path) == [(1, 40, 20)]


def test_data_uri_image_is_embedded(tmp_path):
    encoded = base64.b64encode(png_bytes(12, 6)).decode()
    pdf = html_to_pdf(f'<img src="data:image/png;base64,{encoded}">')

    assert images(pdf, tmp_path) == [(1, 12, 6)]
