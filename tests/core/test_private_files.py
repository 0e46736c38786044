"""Private files: checked by content and size, stored outside public media, served only to
those the apps' access hooks allow."""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from wagtail import hooks

from core.private_files import ACCESS_HOOK, PrivateFile, store_private_file
from core.uploads import CSV, PDF, PNG, XLSX, UploadRefused, check_upload, detect_kind

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def xlsx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def upload(name, data):
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF_BYTES, PDF),
        (b"\x89PNG\r\n\x1a\n....", PNG),
        (xlsx_bytes(), XLSX),
        (b"date,worker\n2026-11-02,W-1\n", CSV),
        (b"PK\x03\x04not a zip", None),
        (b"MZ\x90\x00\x03\x00", None),  # a Windows program
    ],
)
def test_the_kind_comes_from_the_content(data, kind):
    assert detect_kind(data) == kind


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("big.pdf", PDF_BYTES + b"x" * 2048, "The file is 2.0\xa0KB; the limit is 1.0\xa0KB."),
        ("empty.pdf", b"", "The file is empty."),
        (
            "consent.pdf",
            b"\x89PNG\r\n\x1a\n....",
            "This file is not a PDF file: its content is PNG.",
        ),
        (
            "tool.pdf",
            b"MZ\x90\x00\x03\x00",
            "This file is not a PDF file: its content is not a kind we accept.",
        ),
        ("consent.png", PDF_BYTES, "The file is named “consent.png” but its content is PDF."),
    ],
)
def test_refusals_say_exactly_what_is_wrong(name, data, message):
    with pytest.raises(UploadRefused) as refused:
        check_upload(upload(name, data), allowed=(PDF,), max_bytes=1024)

    assert str(refused.value) == message


def test_a_stored_file_lives_outside_public_media_with_its_digest(admin_user):
    private = store_private_file(
        upload("Consent form.pdf", PDF_BYTES), purpose="consent", allowed=(PDF,), user=admin_user
    )

    path = Path(private.file.path)
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert path.read_bytes() == PDF_BYTES
    assert (private.original_name, private.content_type, private.size, private.uploaded_by) == (
        "Consent form.pdf",
        "application/pdf",
        len(PDF_BYTES),
        admin_user,
    )
    assert private.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()


def test_a_refused_upload_stores_nothing():
    before = sorted(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*"))
    with pytest.raises(UploadRefused):
        store_private_file(upload("x.pdf", b"not a pdf\x00"), purpose="consent", allowed=(PDF,))

    assert PrivateFile.objects.count() == 0
    assert sorted(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*")) == before


@pytest.fixture
def consent_file(admin_user):
    return store_private_file(upload("Consent.pdf", PDF_BYTES), purpose="consent", allowed=(PDF,))


def test_only_those_the_hooks_allow_can_download(client, consent_file, admin_user):
    reader = User.objects.create_user("reader", password="x")
    other = User.objects.create_user("other", password="x")
    url = f"/files/{consent_file.pk}/"

    assert client.get(url)["Location"] == f"/admin/login/?next={url}"

    client.force_login(other)
    # No hook allows it: a 404, so not even its existence shows (the language middleware first
    # tries the address under /en/, which is a 404 as well).
    assert client.get(url, follow=True).status_code == 404

    def readers_see_consents(user):
        return Q(purpose="consent") if user.username == "reader" else None

    with hooks.register_temporarily(ACCESS_HOOK, readers_see_consents):
        assert client.get(url, follow=True).status_code == 404
        client.force_login(reader)
        response = client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"] == 'attachment; filename="Consent.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    client.force_login(admin_user)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405


def test_private_files_are_not_under_the_public_media_address(client, consent_file):
    name = Path(consent_file.file.name)
    assert client.get(f"/media/{name}", follow=True).status_code == 404
