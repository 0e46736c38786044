"""A worker's accounts are found by the worker and what the account is for, never by its code:
the code names the worker by a reference, and after two references were
swapped one worker's pay was credited to the other's accounts.

- ``Account.purpose``: ``own-spending``, ``back-wages`` or ``category:<id>`` (a deduction
  category credited to the worker), unique per worker and currency. Existing accounts get theirs
  from their code (``worker:<reference>:<purpose or category code>``). Codes are not renamed:
  journal hashes cover them. A worker who already has two accounts for one purpose (one made
  under an earlier reference) keeps the first as theirs; the later one keeps its balance and is
  marked ``<purpose>#<its id>`` for finance to review, and is not posted to again. An account
  named after a category code that no longer exists is marked ``code:<that code>``.
- On PostgreSQL a trigger refuses changing a worker's reference once an account or a pay-run line
  names the worker (``workshops.references``; ``workshops/0011`` covers the register's records).
"""

from django.db import migrations, models
from django.db.models import Q

from core.postgres import on_postgresql

OWN_SPENDING, BACK_WAGES = "own-spending", "back-wages"

GUARD = """
CREATE FUNCTION wages_worker_reference_fixed() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM wages_account WHERE worker_id = OLD.id)
        OR EXISTS (SELECT 1 FROM wages_payrunline WHERE worker_id = OLD.id) THEN
        RAISE EXCEPTION 'worker reference % is used by the ledger or a pay run: it never changes',
            OLD.reference USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER wages_worker_reference_fixed
    BEFORE UPDATE OF reference ON workshops_worker
    FOR EACH ROW WHEN (NEW.reference IS DISTINCT FROM OLD.reference)
    EXECUTE FUNCTION wages_worker_reference_fixed();
"""
DROP_GUARD = """
DROP TRIGGER IF EXISTS wages_worker_reference_fixed ON workshops_worker;
DROP FUNCTION IF EXISTS wages_worker_reference_fixed();
"""


def fill_purposes(apps, schema_editor):
    Account = apps.get_model("wages", "Account")
    Worker = apps.get_model("workshops", "Worker")
    DeductionCategory = apps.get_model("workshops", "DeductionCategory")
    categories = dict(DeductionCategory.objects.values_list("code", "pk"))
    seen, changed = set(), []
    accounts = Account.objects.filter(Q(worker__isnull=False) | Q(code__startswith="worker:"))
    for account in accounts.order_by("pk").iterator(chunk_size=5_000):
        head, _, suffix = account.code.rpartition(":")
        if account.worker_id is None:
            reference = head.removeprefix("worker:")
            account.worker_id = (
                Worker.objects.filter(reference=reference).values_list("pk", flat=True).first()
            )
            if account.worker_id is None:
                continue  # nobody holds the reference: left as a shared account
        if suffix in (OWN_SPENDING, BACK_WAGES):
            purpose = suffix
        elif suffix in categories:
            purpose = f"category:{categories[suffix]}"
        else:
            purpose = f"code:{suffix or account.code}"
        if (account.worker_id, purpose, account.currency) in seen:
            purpose = f"{purpose}#{account.pk}"
        seen.add((account.worker_id, purpose, account.currency))
        account.purpose = purpose
        changed.append(account)
    Account.objects.bulk_update(changed, ["worker", "purpose"], batch_size=5_000)


class Migration(migrations.Migration):
    dependencies = [
        ("wages", "0008_longer_references"),
        ("workshops", "0011_category_flag_and_reference_guard"),
    ]

    operations = [
        migrations.AddField(
            model_name="account",
            name="purpose",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=60, verbose_name="purpose"
            ),
        ),
        migrations.RunPython(fill_purposes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="account",
            constraint=models.UniqueConstraint(
                condition=models.Q(("worker__isnull", False)),
                fields=("worker", "purpose", "currency"),
                name="one_account_per_worker_and_purpose",
            ),
        ),
        migrations.AddConstraint(
            model_name="account",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("worker__isnull", True),
                    models.Q(("purpose", ""), _negated=True),
                    _connector="OR",
                ),
                name="worker_account_has_a_purpose",
                violation_error_message="A worker's account says what it is for.",
            ),
        ),
        migrations.RunPython(on_postgresql(GUARD), on_postgresql(DROP_GUARD)),
    ]
