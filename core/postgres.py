"""PostgreSQL-only schema for migrations: triggers and constraints that SQLite, the embedded
default, has no equivalent for (the model layer holds those invariants there); and the parameter
of set-based statements (``json_rows``)."""

import json


def on_postgresql(sql: str):
    """A ``RunPython`` function that executes ``sql`` on PostgreSQL and does nothing elsewhere."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no placeholders: RAISE messages use %

    return run


def refusing_trigger(name: str, table: str, *, on: str, message: str, when: str = "TRUE"):
    """``(make, drop)``: the SQL of a trigger ``name`` that refuses ``on`` (``"UPDATE OR DELETE"``,
    ``"UPDATE OF key"``) of each row of ``table`` for which ``when`` holds, and the SQL that drops
    it. ``message`` names the row by its id at its ``%``; the error is an integrity constraint
    violation, which Django raises as ``IntegrityError``. Every argument is written in a
    migration, never taken from input."""
    message = message.replace("'", "''")
    make = f"""
CREATE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{message}', OLD.id USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {name} BEFORE {on} ON {table}
    FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION {name}();
"""
    drop = f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}();"
    return make, drop


def json_rows(rows) -> str:
    """``rows`` (lists of values) as one JSON text parameter, for a statement that reads them with
    ``json_array_elements(%s::json)``. Django binds parameters on the client, quoting an array
    value by value in Python; one JSON text is encoded in C and quoted once, which is what makes
    set-based writes of hundreds of thousands of rows fast. Decimals and dates become their text,
    for the statement to cast."""
    return json.dumps(rows, default=str, separators=(",", ":"), ensure_ascii=False)
