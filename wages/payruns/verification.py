"""Whether every posted pay run still holds exactly what it paid.

Posting makes a run's production lock final and keeps what the lock held then: how many records
and training sessions, and a checksum of which ones (``workshops.production.held_by``). A record
freed from a posted run would be a late record for the next run and paid a second time, under a
new journal key, so no journal check would see it. Operations refuse to free it and, on
PostgreSQL, triggers do; this check finds what someone with the triggers switched off did, and a
run posted before locks became final whose lock was already released. ``verify_ledger`` runs it.
"""

from wages.models import PayRun
from workshops.models import ProductionLock
from workshops.production import held_by


def verify_pay_runs() -> list[str]:
    """One line per problem, in the order of the runs' references: a posted run whose lock is
    missing, released or not final, or holds other records or sessions than when it was posted.
    Two queries per posted run, on its lock's rows."""
    posted = PayRun.objects.filter(status=PayRun.Status.POSTED).values("reference")
    locks = ProductionLock.objects.filter(reference__in=posted)
    held = {lock.reference: lock for lock in locks.active()}
    released = set(locks.values_list("reference", flat=True)) - set(held)
    problems = []
    for reference in posted.order_by("reference").values_list("reference", flat=True):
        lock = held.get(reference)
        if lock is None:
            problems.append(
                f"pay run {reference}: its lock was released, so the records it paid may be "
                "paid again"
                if reference in released
                else f"pay run {reference}: the lock on the records it paid is missing"
            )
        elif not lock.is_final:
            problems.append(f"pay run {reference}: its lock is not final")
        else:
            problems += _compare(lock)
    return problems


def _compare(lock: ProductionLock) -> list[str]:
    records, attendance, checksum = held_by(lock)
    if (records, attendance) != (lock.held_records, lock.held_attendance):
        return [
            f"pay run {lock.reference}: its lock held {lock.held_records} records and "
            f"{lock.held_attendance} training sessions when the run was posted, and holds "
            f"{records} and {attendance} now"
        ]
    if checksum != lock.held_checksum:
        return [
            f"pay run {lock.reference}: its lock holds other records or training sessions than "
            "when the run was posted"
        ]
    return []
