"""The seeded demo country for the tests that read or drive it, seeded once per test session.

Seeding the small demo takes about 45 seconds (half of it the shop: its 153 pages in three
languages and 18 orders with their invoices); the browser journeys, the privacy walk and the
checks of what ``seed_demo`` built all start from it. On SQLite (the test database lives in
memory) the database is copied as migrated when the session starts; the first test that asks for
the demo seeds it on that copy, and every such test then gets the seeded pages written back into
the test database with sqlite3's backup API (milliseconds). A test that asks for the demo is a
transactional test (it may commit, and a live server may serve it), so the database is emptied
after it as for any such test. Files that the seeding wrote under the media roots are put back if a
test removed them. On PostgreSQL each such test runs ``seed_demo`` itself.

Under pytest-xdist each worker process has its own test database and its own copy.
"""

import io
import shutil
import sqlite3
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import TestCase


def seed_demo(*args: str) -> str:
    """``seed_demo`` as it runs for real, with the callbacks that run once its transaction
    commits; what it printed."""
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def copies_in_memory() -> bool:
    """Whether the test database is SQLite in memory, which the backup API copies whole."""
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def _sqlite_connection() -> sqlite3.Connection:
    connection.ensure_connection()
    return connection.connection


def _forget_cached_rows() -> None:
    """Caches keyed by rows of the database replaced (content types, Wagtail's site root paths,
    rate limits) are emptied, as if the process had just started on it."""
    ContentType.objects.clear_cache()
    for cache in caches.all():
        cache.clear()


class DatabaseCopy:
    """A copy of the in-memory test database, which can be written back over it."""

    def __init__(self) -> None:
        self._pages = sqlite3.connect(":memory:", check_same_thread=False)
        _sqlite_connection().backup(self._pages)

    def restore(self) -> None:
        self._pages.backup(_sqlite_connection())
        _forget_cached_rows()


def _media_roots() -> list[Path]:
    return [Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)]


def _files(root: Path) -> set[Path]:
    return {path.relative_to(root) for path in root.rglob("*") if path.is_file()}


class SeededDemo:
    """The demo seeded once on the database as migrated, and the files the seeding wrote."""

    def __init__(self, migrated: DatabaseCopy) -> None:
        migrated.restore()
        before = [_files(root) for root in _media_roots()]
        self.output = seed_demo()
        self._pages = DatabaseCopy()
        self._files = Path(tempfile.mkdtemp(prefix="bridgework-test-demo-files-"))
        for index, (root, existed) in enumerate(zip(_media_roots(), before, strict=True)):
            for relative in _files(root) - existed:
                kept = self._files / str(index) / relative
                kept.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(root / relative, kept)

    def restore(self) -> None:
        self._pages.restore()
        for index, root in enumerate(_media_roots()):
            kept_root = self._files / str(index)
            for relative in _files(kept_root) if kept_root.exists() else ():
                if not (root / relative).exists():
                    (root / relative).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(kept_root / relative, root / relative)

    def close(self) -> None:
        shutil.rmtree(self._files, ignore_errors=True)
