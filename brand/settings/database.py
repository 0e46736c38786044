"""The database, from ``DATABASE_URL``: an SQLite file by default (the demo), PostgreSQL in
production.

SQLite has one write lock per database. A transaction that begins as a reader (SQLite's default,
``BEGIN DEFERRED``) and then writes must upgrade its lock; when another writer went first, SQLite
cannot let it wait (the two would wait on each other) and fails it at once with "database is
locked", whatever the timeout: 48 of 50 reservations at once under the threaded demo server.
``BEGIN IMMEDIATE`` takes the write lock when the transaction begins, so writers queue for it,
each for up to ``SQLITE_TIMEOUT`` seconds. In WAL mode readers never wait for the writer, nor the
writer for readers. Writes still happen one at a time: see the README ("SQLite's limits").
"""

import dj_database_url

SQLITE_TIMEOUT = 20  # seconds a writer waits for the write lock before "database is locked"
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": SQLITE_TIMEOUT,
    "init_command": "PRAGMA journal_mode=WAL",  # a file's mode stays; in memory it has none
}


# PostgreSQL compiles a query it estimates to be costly (JIT). Bridgework's costly queries are the
# compliance rules' aggregates over a year of records, and compiling them took longer than it
# saved: 100-170 ms of a 0.5 s rule (bench/compliance.py). Off for every connection.
POSTGRESQL_OPTIONS = "-c jit=off"


def database(url: str, *, conn_max_age: int) -> dict:
    settings = dj_database_url.parse(url, conn_max_age=conn_max_age)
    if settings["ENGINE"] == "django.db.backends.postgresql":
        options = settings.setdefault("OPTIONS", {})
        options["options"] = " ".join(filter(None, [POSTGRESQL_OPTIONS, options.get("options")]))
    if settings["ENGINE"] == "django.db.backends.sqlite3":
        settings["ENGINE"] = "core.sqlite"  # the real limit on parameters (core/sqlite)
        settings["OPTIONS"] = {**SQLITE_OPTIONS, **settings.get("OPTIONS", {})}
    return settings
