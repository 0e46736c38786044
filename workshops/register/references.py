"""A worker's pseudonymous reference never changes once a record uses it.

The reference is written into things that cannot follow a change: the codes of the worker's
ledger accounts and the keys of their pay journals (both covered by the ledger's hashes), exported
production files, payslips. After two references were swapped, one worker's pay went to the
other's accounts. So a reference is fixed from the first record that names the worker: any row
that refers to the worker, except the register's own description of the person (their stays,
fitness clearances and workshop assignments), which may be entered before a typo in the reference
is noticed. Posting finds a worker's accounts by the worker's id in any case
(``wages.ledger.accounts``), never by the reference.

Held three times: ``check_reference_change`` refuses in words (the worker's admin form calls it);
on PostgreSQL, triggers of migrations ``workshops/0011`` and ``wages/0009`` refuse the UPDATE; on
SQLite, one trigger made here after every ``migrate`` (``post_migrate``) over every table that
refers to a worker. SQLite's triggers are made after migrating, not by a migration, because
Django rebuilds a SQLite table to alter it, and a trigger naming a table being rebuilt makes the
rebuild fail; so they are dropped before migrating (``pre_migrate``) and made again afterwards.
"""

from django.core.exceptions import ValidationError
from django.db import connections
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from workshops.models import Worker

# The register's description of the person: these do not use the reference.
REGISTER = {"workshops.stay", "workshops.fitnessclearance", "workshops.assignment"}
SQLITE_TRIGGER = "workshops_worker_reference_fixed"


def _uses():
    """(model, field name) of every relation whose rows use a worker's reference."""
    return [
        (relation.related_model, relation.field.name)
        for relation in related_to_worker()
        if relation.related_model._meta.label_lower not in REGISTER
    ]


def related_to_worker():
    """Every relation of another model to Worker, those without a reverse name included."""
    return [
        field
        for field in Worker._meta.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete and (field.one_to_many or field.one_to_one)
    ]


def reference_uses(worker_pk: int) -> list[str]:
    """What uses the reference of worker ``worker_pk``: the plural names of those records."""
    return [
        str(model._meta.verbose_name_plural)
        for model, field in _uses()
        if model._default_manager.filter(**{field: worker_pk}).exists()
    ]


def check_reference_change(worker: Worker, reference: str) -> None:
    """Refuse giving ``worker`` (as stored) the new ``reference`` once a record uses the old."""
    if worker.pk is None:
        return
    old = Worker.objects.filter(pk=worker.pk).values_list("reference", flat=True).first()
    if old is None or old == reference:
        return
    uses = reference_uses(worker.pk)
    if uses:
        raise ValidationError(
            _(
                "%(reference)s is already used by %(uses)s: a worker's reference never changes "
                "once a record uses it."
            )
            % {"reference": old, "uses": get_text_list(uses, _("and"))},
            code="reference_in_use",
        )


def sqlite_trigger_sql() -> str:
    """SQLite's guard over every table that refers to a worker (names from the model
    registry, not from input)."""
    quote = connections["default"].ops.quote_name
    tables = sorted({(m._meta.db_table, m._meta.get_field(f).column) for m, f in _uses()})
    used = " OR ".join(
        f"EXISTS (SELECT 1 FROM {quote(table)} WHERE {quote(column)} = OLD.id)"  # noqa: S608 # nosec B608
        for table, column in tables
    )
    return (
        f"CREATE TRIGGER {SQLITE_TRIGGER} BEFORE UPDATE OF reference "
        f"ON workshops_worker FOR EACH ROW WHEN NEW.reference IS NOT OLD.reference AND ({used}) "
        "BEGIN SELECT RAISE(ABORT, 'a worker''s reference never changes once a record uses it'); "
        "END"
    )


def drop_sqlite_trigger(*, using: str = "default", **kwargs) -> None:
    """``pre_migrate``: no trigger names a table that a migration may rebuild."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS {SQLITE_TRIGGER}")


def make_sqlite_trigger(*, using: str = "default", **kwargs) -> None:
    """``post_migrate`` (and after ``flush``): the trigger over every table that refers to a
    worker, made anew so that it names each of them, once they all exist (a migration run part
    of the way leaves it off)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    existing = set(connection.introspection.table_names())
    needed = {Worker._meta.db_table} | {model._meta.db_table for model, _field in _uses()}
    if needed <= existing:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS {SQLITE_TRIGGER}")
            cursor.execute(sqlite_trigger_sql())
