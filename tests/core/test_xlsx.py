"""XLSX files are checked part by part before anything unpacks them (core/xlsx.py): a zip bomb,
a header that lies about its size, a cell past Excel's limit, a DTD and a flood of parts are each
refused with their reason, and checking never holds more than a chunk in memory."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.uploads import XLSX, UploadRefused, check_upload
from core.xlsx import (
    EXCEL_CELL_CHARACTERS,
    MAX_SHARED_STRINGS,
    MAX_TEXT_RUN_BYTES,
    XlsxRefused,
    check_xlsx,
    open_zip,
)

MIB = 1024 * 1024
STRINGS = "xl/sharedStrings.xml"
SST = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def workbook() -> bytes:
    book = Workbook()
    book.active.append(["date", "worker"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_part(name: str, write, *, data: bytes | None = None) -> bytes:
    """A small workbook with the part ``name`` written by ``write(stream)``, deflated at the
    highest level: the part is streamed in, so a bomb is never whole in memory here either."""
    source = zipfile.ZipFile(io.BytesIO(data or workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in source.infolist():
            archive.writestr(info, source.read(info.filename))
        with archive.open(name, "w", force_zip64=True) as stream:
            write(stream)
    return out.getvalue()


def shared_string(size: int):
    """A shared string table of one string of ``size`` bytes, written a MiB at a time."""

    def write(stream):
        stream.write(SST + b"<si><t>")
        block = b"a" * MIB
        for _ in range(size // MIB):
            stream.write(block)
        stream.write(b"a" * (size % MIB) + b"</t></si></sst>")

    return write


def declaring(data: bytes, name: str, size: int) -> bytes:
    """``data`` with the zip directory's entry for ``name`` declaring ``size`` unpacked bytes."""
    data = bytearray(data)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + length] == name.encode():
            data[at + 24 : at + 28] = size.to_bytes(4, "little")
        at = data.find(b"PK\x01\x02", at + 46)
    return bytes(data)


def peak_of(call) -> tuple[Exception | None, int]:
    """What ``call`` raised, and the most memory it held at once (traced allocations)."""
    tracemalloc.start()
    try:
        call()
    except XlsxRefused as refused:
        raised = refused
    else:
        raised = None
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return raised, peak


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """256 MiB of one cell's text, deflated to about 255 KiB."""
    return with_part(STRINGS, shared_string(256 * MIB))


def test_a_bomb_is_refused_by_its_declared_size_without_unpacking(bomb):
    assert len(bomb) < MIB

    refused, peak = peak_of(lambda: check_xlsx(bomb))

    assert str(refused) == (
        "The spreadsheet unpacks to more than 24 MiB; at most 24 MiB are read. "
        "Split it into smaller files."
    )
    assert peak < 8 * MIB


def test_a_bomb_whose_header_lies_is_refused_while_reading(bomb):
    """The directory says 1,000 bytes: reading stops there, and the part fails its checksum."""
    lying = declaring(bomb, STRINGS, 1000)

    refused, peak = peak_of(lambda: check_xlsx(lying))

    assert str(refused) == "The spreadsheet's part xl/sharedStrings.xml cannot be unpacked."
    assert peak < 8 * MIB


def test_a_cell_past_excels_limit_is_refused_and_one_at_the_limit_is_read():
    too_long = with_part(STRINGS, shared_string(MAX_TEXT_RUN_BYTES + 1))
    at_the_limit = with_part(STRINGS, shared_string(MAX_TEXT_RUN_BYTES))

    with pytest.raises(XlsxRefused) as refused:
        check_xlsx(too_long)

    assert str(refused.value) == (
        "The spreadsheet's part xl/sharedStrings.xml holds a cell or tag longer than 32767 "
        "characters, Excel's own limit for a cell."
    )
    assert EXCEL_CELL_CHARACTERS == 32_767
    check_xlsx(at_the_limit)


def test_a_cell_split_across_reading_chunks_is_measured_whole():
    """200,000 bytes of text end the first 1 MiB chunk, and the rest begins the next."""

    def write(stream):
        stream.write(SST + b">" * (MIB - len(SST) - 200_000) + b"a" * 200_000)
        stream.write(b"a" * (MAX_TEXT_RUN_BYTES - 200_000 + 1) + b"<")

    with pytest.raises(XlsxRefused, match="longer than 32767 characters"):
        check_xlsx(with_part(STRINGS, write))


def test_a_dtd_or_an_entity_is_refused():
    laughs = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><sst>&lol;</sst>'

    with pytest.raises(XlsxRefused) as refused:
        check_xlsx(with_part(STRINGS, lambda stream: stream.write(laughs)))

    assert str(refused.value) == (
        "The spreadsheet's part xl/sharedStrings.xml declares a DTD or an entity."
    )


def test_more_shared_strings_than_the_limit_are_refused():
    def write(stream):
        stream.write(SST + b"<si><t>x</t></si>" * (MAX_SHARED_STRINGS + 1) + b"</sst>")

    with pytest.raises(XlsxRefused) as refused:
        check_xlsx(with_part(STRINGS, write))

    assert str(refused.value) == (
        "The spreadsheet holds more than 250000 different texts; at most 250000 are read."
    )


def test_a_zip_of_too_many_parts_is_refused_before_its_directory_is_read():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for number in range(1001):
            archive.writestr(f"p{number}.xml", b"")

    with pytest.raises(XlsxRefused) as refused:
        open_zip(out.getvalue())

    assert str(refused.value) == "The spreadsheet has too many parts; at most 1000 are read."


def test_a_zip64_archive_is_refused_before_its_directory_is_read():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
    data = out.getvalue()
    end = data.rfind(b"PK\x05\x06")
    locator = b"PK\x06\x07" + bytes(16)  # what zipfile looks for just before the end record

    with pytest.raises(XlsxRefused) as refused:
        open_zip(data[:end] + locator + data[end:])

    assert str(refused.value) == "The spreadsheet is a ZIP64 archive, which no spreadsheet needs."


@pytest.mark.parametrize("data", [b"PK\x03\x04 not a zip", b"", b"PK\x05\x06"])
def test_what_is_not_a_zip_is_refused(data):
    with pytest.raises(XlsxRefused) as refused:
        check_xlsx(data)

    assert str(refused.value) == "The spreadsheet is not a readable zip file."


def test_an_ordinary_workbook_passes():
    check_xlsx(workbook())


def test_an_upload_of_a_bomb_is_refused_on_the_way_in(bomb):
    uploaded = SimpleUploadedFile("bomb.xlsx", bomb)

    with pytest.raises(UploadRefused) as refused:
        check_upload(uploaded, allowed=(XLSX,), max_bytes=20 * MIB)

    assert str(refused.value) == (
        "The spreadsheet unpacks to more than 24 MiB; at most 24 MiB are read. "
        "Split it into smaller files."
    )
