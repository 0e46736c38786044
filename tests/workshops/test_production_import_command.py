"""The production import's audit log and its command line (``import_production``): one log entry
per import with the file, none for a refusal, and the command's dry run, problem report, legacy
option and refusals of files it cannot take.
"""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import ModelLogEntry

from tests.workshops.production_builders import build_world, csv_file
from tests.workshops.production_files import (
    IMPORTED,
    import_command,
    imported,
    line,
    padded,
    refusal,
    rows,
    state,
)
from workshops.models import ProductionImport
from workshops.production import MAX_IMPORT_BYTES, checks


@pytest.fixture
def world(db):
    return build_world()


def refused_command(path, **options) -> tuple[str, str]:
    """(the CommandError's message, stderr); asserts that nothing changed."""
    before = state()
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(
            "import_production", str(path), verbosity=0, stdout=io.StringIO(), stderr=err, **options
        )
    assert state() == before
    return str(refused.value), err.getvalue()


# The audit log


def test_an_import_writes_one_log_entry_with_the_file(world):
    data = csv_file(line(), line(workshop="crew-north", sku=""))

    source = imported(data, user=world.supervisor).source

    entry = ModelLogEntry.objects.get(action=IMPORTED)
    assert (entry.content_type.model_class(), entry.object_id, entry.user) == (
        ProductionImport,
        str(source.pk),
        world.supervisor,
    )
    assert entry.data == {
        "file": "production.csv",
        "sha256": hashlib.sha256(data).hexdigest(),
        "rows": 2,
        "legacy": False,
        "workshops": ["crew-north", "tailoring-north"],
    }
    assert source.imported_by == world.supervisor


def test_a_refused_import_writes_no_log_entry(world):
    refusal(csv_file(line(), line(worker="W-999999")))

    assert ModelLogEntry.objects.filter(action=IMPORTED).count() == 0


# The import command


def test_the_command_imports_a_file(world, tmp_path):
    path = tmp_path / "production.csv"
    path.write_bytes(csv_file(line(), line(worker="W-000001")))

    assert import_command(path) == ("2 record(s) imported.\n", "")

    source = ProductionImport.objects.get()
    assert (source.file_name, source.rows) == ("production.csv", 2)
    assert len(rows()) == 2


def test_the_command_dry_run_saves_nothing(world, tmp_path):
    path = tmp_path / "production.csv"
    path.write_bytes(csv_file(line(), line(worker="W-000001")))

    assert import_command(path, dry_run=True) == (
        "2 row(s) checked: all would be accepted (dry run, nothing saved).\n",
        "",
    )
    assert state() == ([], [], 0)


def test_the_command_reports_every_problem_by_line_and_fails(world, tmp_path):
    path = tmp_path / "production.csv"
    path.write_bytes(
        csv_file(line(), line(worker="W-999999"), line(worker="W-000001", hours="abc"))
    )

    assert refused_command(path) == (
        "production.csv was refused: 2 problem(s); nothing was saved.",
        "Line 3: Unknown worker “W-999999”.\nLine 4: hours “abc” is not a number.\n",
    )


def test_the_command_lists_the_first_problems_and_counts_the_rest(world, tmp_path, monkeypatch):
    monkeypatch.setattr(checks, "REPORTED_PROBLEMS", 2)
    path = tmp_path / "production.csv"
    path.write_bytes(
        csv_file(
            line(worker="W-999999"),
            line(worker="W-000001", hours="abc"),
            line(worker="W-999998"),
            line(worker="W-999997"),
        )
    )

    assert refused_command(path) == (
        "production.csv was refused: 4 problem(s); nothing was saved.",
        "Line 2: Unknown worker “W-999999”.\nLine 3: hours “abc” is not a number.\n"
        "…and 2 more problems, not listed.\n",
    )


def test_the_command_accepts_legacy_rows_only_with_legacy(world, tmp_path):
    path = tmp_path / "history.csv"
    path.write_bytes(csv_file(line(supervisor="", legacy="yes")))

    assert refused_command(path) == (
        "history.csv was refused: 1 problem(s); nothing was saved.",
        "Line 2: Legacy rows are accepted only when importing with --legacy.\n",
    )
    assert import_command(path, legacy=True) == ("1 record(s) imported.\n", "")
    assert ProductionImport.objects.get().legacy is True


def test_the_command_refuses_a_file_over_the_size_limit(world, tmp_path):
    path = tmp_path / "huge.csv"
    path.write_bytes(padded(MAX_IMPORT_BYTES + 1))

    assert refused_command(path) == ("The file is 20.00 MiB; the limit is 20 MiB.", "")


def test_the_command_refuses_a_missing_file(world, tmp_path):
    path = tmp_path / "missing.csv"

    assert refused_command(path) == (f"No such file: {path}", "")


def test_the_command_refuses_an_empty_file(world, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    assert refused_command(path) == (
        "empty.csv was refused: 1 problem(s); nothing was saved.",
        "The file is empty.\n",
    )
