"""The demo's SQLite file under a threaded server: writers wait their turn for SQLite's one write
lock instead of failing with "database is locked" (``brand/settings/database.py``).

The test's in-memory database, committed, is copied into an SQLite file; while the threads run,
each opens its own connection to that file with the settings the demo builds from its
``DATABASE_URL``, and reserves through the real operation."""

import datetime
import sqlite3
from functools import partial

import pytest
from django.db import connection, connections
from django.utils import timezone

from brand.demo.seed import ensure_wagtail_roots
from brand.settings.database import database
from core.testing.database import race
from tests.workshops.production_builders import build_world, day
from workshops import inventory
from workshops.inventory import NotEnoughStock
from workshops.models import Reservation

pytestmark = pytest.mark.django_db(transaction=True)
BUYERS, ON_HAND = 30, 20


@pytest.fixture
def into_file(tmp_path):
    """Copies the test database into a file; from then on, new connections of ``default`` (each
    thread's) open that file with the demo's settings. Its path."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's own locking")
    path = tmp_path / "db.sqlite3"
    in_memory = connections.settings["default"]

    def copy():
        connection.ensure_connection()
        with sqlite3.connect(path) as file:
            connection.connection.backup(file)
        demo = database(f"sqlite:///{path}", conn_max_age=0)
        connections.settings["default"] = connections.configure_settings({"default": demo})[
            "default"
        ]
        return path

    yield copy
    connections.settings["default"] = in_memory


def test_the_demo_opens_sqlite_files_so_that_writers_wait(tmp_path):
    settings = database(f"sqlite:///{tmp_path / 'db.sqlite3'}", conn_max_age=0)

    assert (settings["ENGINE"], settings["OPTIONS"]) == (
        "core.sqlite",
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL"},
    )


def test_thirty_buyers_at_once_on_an_sqlite_file_wait_and_take_the_twenty_on_hand(into_file):
    """Each reservation used to begin its transaction as a reader; two that then wanted to write
    could not both wait (a deadlock), so SQLite refused all but one with "database is locked" at
    once (48 of 50 in the measurement). ``race`` re-raises that OperationalError."""
    ensure_wagtail_roots()  # a transactional test starts empty, locales included
    world = build_world(skus=1)
    [sku] = world.skus
    inventory.receive_batch(
        sku=sku, quantity=ON_HAND, made_from=day(0), made_to=day(0), user=world.supervisor, key="in"
    )
    later = timezone.now() + datetime.timedelta(hours=1)
    sqlite_file = into_file()

    outcomes = race(
        *(
            partial(inventory.reserve, [(sku, 1)], key=f"checkout-{n}", expires_at=later)
            for n in range(BUYERS)
        )
    )

    made = [outcome for outcome in outcomes if isinstance(outcome, Reservation)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, NotEnoughStock)]
    assert (len(made), len(refused)) == (ON_HAND, BUYERS - ON_HAND)
    with sqlite3.connect(sqlite_file) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("SELECT count(*) FROM workshops_reservation").fetchone() == (ON_HAND,)
        assert db.execute(
            "SELECT on_hand, reserved FROM workshops_stock WHERE sku_id = ?", [sku.pk]
        ).fetchone() == (ON_HAND, ON_HAND)
        assert db.execute(
            "SELECT sum(on_hand_change), sum(reserved_change) FROM workshops_stockmovement"
        ).fetchone() == (ON_HAND, ON_HAND)
