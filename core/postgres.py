"""PostgreSQL-only schema for migrations: triggers and constraints that SQLite, the embedded
default, has no equivalent for (the model layer holds those invariants there)."""


def on_postgresql(sql: str):
    """A ``RunPython`` function that executes ``sql`` on PostgreSQL and does nothing elsewhere."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no placeholders: RAISE messages use %

    return run
