"""Django's SQLite backend, told the real limit on parameters per statement.

Django 5.2 assumes SQLite's historical limit of 999 bound parameters and splits bulk inserts and
updates into batches to fit; SQLite has allowed 32,766 since 3.32 (2020). With the real limit a
bulk insert of a few thousand rows is one statement, as on PostgreSQL, so query counts asserted in
tests (a day's production grid, say) do not grow with the data. ``DATABASE_URL=sqlite:///…``
selects this backend (``brand/settings/base.py``).
"""

import sqlite3

from django.db.backends.sqlite3 import base, features

MODERN_LIMIT = 32766  # SQLITE_MAX_VARIABLE_NUMBER's default since SQLite 3.32.0


class DatabaseFeatures(features.DatabaseFeatures):
    max_query_params = MODERN_LIMIT if sqlite3.sqlite_version_info >= (3, 32) else 999


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
