"""The back-office upload and download: the same importer and exporter as the commands, scoped
to the workshops a supervisor supervises."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import ModelLogEntry

from tests.workshops.production_builders import csv_file, day
from workshops.models import ProductionImport, ProductionRecord
from workshops.production import checks

pytestmark = pytest.mark.django_db
UPLOAD = "/admin/production/import/"
EXPORT = "/admin/production/export/"


def problems(response) -> list[str]:
    page = BeautifulSoup(response.content, "html.parser")
    return [item.get_text() for item in page.select("#problems li")]


def upload(client, data: bytes, name="day.csv", **options):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data), **options})


def saved() -> list[tuple]:
    return list(
        ProductionRecord.objects.order_by("worker__reference").values_list(
            "worker__reference",
            "workshop__slug",
            "sku__code",
            "hours",
            "pieces",
            "source__file_name",
        )
    )


def test_a_supervisor_uploads_a_file_of_their_workshop(supervisor_client):
    response = upload(
        supervisor_client,
        csv_file(
            f"{day(0)},W-000000,tailoring-north,SKU-A,7,30,1,sup,,",
            f"{day(0)},W-000001,crew-north,,0.5,,,sup,,",
        ),
    )

    assert (response.status_code, response["Location"]) == (302, UPLOAD)
    assert [str(m) for m in response.wsgi_request._messages] == ["2 record(s) imported."]
    assert [(r[0], r[1], r[2], str(r[3]), r[4], r[5]) for r in saved()] == [
        ("W-000000", "tailoring-north", "SKU-A", "7.00", 30, "day.csv"),
        ("W-000001", "crew-north", None, "0.50", 0, "day.csv"),
    ]
    entry = ModelLogEntry.objects.get(action="bridgework.production_imported")
    assert (entry.user.username, entry.data["rows"], entry.data["file"]) == ("sup", 2, "day.csv")


def test_a_dry_run_upload_saves_nothing(supervisor_client):
    response = upload(
        supervisor_client,
        csv_file(f"{day(0)},W-000000,tailoring-north,SKU-A,7,30,1,sup,,"),
        dry_run="on",
    )

    assert response.status_code == 302
    assert [str(m) for m in response.wsgi_request._messages] == [
        "1 row(s) checked: all would be accepted. Nothing was saved."
    ]
    assert (saved(), ProductionImport.objects.count()) == ([], 0)


def test_a_row_of_another_supervisors_workshop_refuses_the_whole_file(supervisor_client):
    response = upload(
        supervisor_client,
        csv_file(
            f"{day(0)},W-000000,tailoring-north,SKU-A,7,30,1,sup,,",
            f"{day(0)},W-000002,bakery-north,SKU-O,7,30,1,sup-other,,",
        ),
    )

    assert response.status_code == 400
    assert problems(response) == [
        "Line 3: W-000002 was not assigned to bakery-north on Nov 2, 2026.",
        "Line 3: You do not supervise bakery-north on Nov 2, 2026.",
    ]
    assert (saved(), ProductionImport.objects.count()) == ([], 0)


def test_a_file_of_many_problems_lists_the_first_and_says_how_many_more(
    supervisor_client, monkeypatch
):
    monkeypatch.setattr(checks, "REPORTED_PROBLEMS", 3)
    response = upload(supervisor_client, csv_file("x,,,,y,1,1,,,", "x,,,,y,1,1,,,"))

    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("#problems strong").get_text() == "Nothing was saved: 8 problems."
    assert problems(response) == [
        "Line 2: Date “x” is not a date as YYYY-MM-DD.",
        "Line 2: The worker is missing.",
        "Line 2: The workshop is missing.",
    ]
    assert page.select("#problems p")[-1].get_text() == (
        "…and 5 more problems, not listed. Correct the ones above and check the file again."
    )
    assert (saved(), ProductionImport.objects.count()) == ([], 0)


def test_a_supervisor_is_not_offered_legacy_rows(supervisor_client):
    page = BeautifulSoup(supervisor_client.get(UPLOAD).content, "html.parser")
    assert page.select("input[name=legacy]") == []

    response = upload(
        supervisor_client,
        csv_file(f"{day(0)},W-000000,tailoring-north,SKU-A,7,30,1,,,yes"),
        legacy="on",
    )

    assert problems(response) == [
        "Line 2: Legacy rows are accepted only when importing with --legacy."
    ]
    assert saved() == []


def test_an_upload_over_the_limit_or_not_a_spreadsheet_is_refused(supervisor_client):
    too_big = csv_file() + b"x" * (50 * 1024 * 1024)  # a 50 MB file

    assert problems(upload(supervisor_client, too_big)) == [
        "The file is 50.0\xa0MB; the limit is 20.0\xa0MB."
    ]
    assert problems(upload(supervisor_client, b"%PDF-1.7\n%%EOF\n", name="day.csv")) == [
        "This file is not a CSV, XLSX file: its content is PDF."
    ]
    assert saved() == []


def test_the_download_is_the_import_format(supervisor_client, world):
    upload(supervisor_client, csv_file(f"{day(0)},W-000000,tailoring-north,SKU-A,7,30,1,sup,=1,"))
    upload(supervisor_client, csv_file(f"{day(0)},W-000000,tailoring-north,SKU-A,7,30,1,sup,'=1,"))

    response = supervisor_client.get(
        EXPORT,
        {"workshop": world.workshop.pk, "start": "2026-11-01", "end": "2026-11-30", "kind": "csv"},
    )

    assert response["Content-Disposition"] == (
        'attachment; filename="production-tailoring-north-2026-11-01-2026-11-30.csv"'
    )
    assert response.content.decode() == (
        "date,worker,workshop,product_sku,hours,pieces,rejects,supervisor,supervisor_note,legacy\n"
        "2026-11-02,W-000000,tailoring-north,SKU-A,7.00,30,1,sup,'=1,\n"
    )


def test_another_supervisors_workshop_cannot_be_downloaded(supervisor_client, world):
    response = supervisor_client.get(
        EXPORT,
        {"workshop": world.other.pk, "start": "2026-11-01", "end": "2026-11-30", "kind": "csv"},
    )

    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
