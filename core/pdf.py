"""PDF documents (invoices, payslips, certificates, audit reports) from Django templates, by WeasyPrint.

WeasyPrint fetches whatever a document names, over the network or from any local file. Documents
interpolate text that users typed, so an unrestricted fetcher would let a document make the server
call any host or embed any file it can read. Every resource therefore goes through
``SafeUrlFetcher``, which serves ``data:`` URIs, static files and media files and never opens a
socket. Fonts come from the system by family name (fontconfig), so no ``@font-face`` is needed.

Links in a PDF must be absolute: a PDF has no origin, and root-relative URLs resolve against
``LOCAL_BASE_URL``, which exists only for the fetcher.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from core.i18n import render_in_language

# ``{% static %}`` and ``{% url %}`` give root-relative URLs; WeasyPrint resolves them against this
# origin, which the fetcher recognises as ours. ``.invalid`` never resolves (RFC 6761), so not even
# a bug in the fetcher could reach a real host through it.
LOCAL_BASE_URL = "http://bridgework.invalid/"


class PdfResourceRefused(ValueError):
    """A document named a resource that PDF rendering will not fetch."""

    def __init__(self, url: str, reason: str):
        self.url = url
        shown = "/" + url.removeprefix(LOCAL_BASE_URL) if url.startswith(LOCAL_BASE_URL) else url
        super().__init__(f"PDF resource refused: {shown} ({reason})")


def render_pdf(
    template_name: str, context: dict | None = None, *, language: str | None = None, request=None
) -> bytes:
    """Render a template (context processors run when ``request`` is given) and print it to PDF.

    ``language`` renders the document in that language whatever the request's (core.i18n: payslips
    in the worker's language, invoices in the order's); without it, the active language.
    """
    if language is None:
        return html_to_pdf(render_to_string(template_name, context, request=request))
    return html_to_pdf(
        render_in_language(template_name, context, language=language, request=request)
    )


def html_to_pdf(html: str) -> bytes:
    """Print HTML to PDF bytes; a refused resource fails the whole render.

    Refusing loudly rather than skipping with a warning, because a document that silently lost its
    stylesheet, logo or signature image looks complete to whoever receives it, and a certificate or
    invoice must not. WeasyPrint swallows some fetch errors (inside SVG, for one), so the fetcher
    also records every refusal and the render is failed after the fact.
    """
    fetcher = SafeUrlFetcher()
    try:
        pdf = HTML(string=html, base_url=LOCAL_BASE_URL, url_fetcher=fetcher).write_pdf()
    except FatalURLFetchingError as error:
        # WeasyPrint stops on a BaseException that callers' ``except Exception`` would miss.
        raise (error.__cause__ or ValueError(str(error))) from None
    if fetcher.refused:
        raise fetcher.refused[0]
    return pdf


class SafeUrlFetcher(URLFetcher):
    """Serve ``data:`` URIs, static files (found as ``collectstatic`` would find them, so a PDF works
    before static files are collected) and files under MEDIA_ROOT; refuse everything else."""

    def __init__(self):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, fail_on_errors=True)
        self.refused: list[PdfResourceRefused] = []

    def fetch(self, url, headers=None):
        try:
            if urlsplit(url).scheme.lower() == "data":
                return super().fetch(url)
            path = self._local_file(url)
        except PdfResourceRefused as refused:
            self.refused.append(refused)
            raise
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def _local_file(self, url: str) -> Path:
        parts = urlsplit(url)
        bare = parts._replace(query="", fragment="").geturl()
        if settings.STATIC_URL and bare.startswith(
            static := urljoin(LOCAL_BASE_URL, settings.STATIC_URL)
        ):
            relative = _relative_path(url, bare.removeprefix(static))
            try:
                found = finders.find(relative)
            except SuspiciousFileOperation:
                raise PdfResourceRefused(url, "outside the static files") from None
            if not found:
                raise PdfResourceRefused(url, "no such static file")
            return Path(found)
        if settings.MEDIA_URL and bare.startswith(
            media := urljoin(LOCAL_BASE_URL, settings.MEDIA_URL)
        ):
            root = Path(settings.MEDIA_ROOT).resolve()
            # resolve() follows symbolic links, so a link inside MEDIA_ROOT cannot lead out of it.
            path = (root / _relative_path(url, bare.removeprefix(media))).resolve()
            if not path.is_relative_to(root):
                raise PdfResourceRefused(url, "outside MEDIA_ROOT")
            if not path.is_file():
                raise PdfResourceRefused(url, "no such media file")
            return path
        raise PdfResourceRefused(
            url, "a PDF may embed only data: URIs, static files and media files"
        )


def _relative_path(url: str, quoted: str) -> str:
    """The path below a static or media prefix, refusing anything that could climb out of it.

    WeasyPrint already removes ``..`` from the URLs it resolves, but not from percent-encoded ones,
    and a fetcher must not rely on its caller for that.
    """
    relative = unquote(quoted)
    if "\\" in relative or "\x00" in relative or {"", ".", ".."} & set(relative.split("/")):
        raise PdfResourceRefused(url, "path traversal")
    return relative
