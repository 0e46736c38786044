"""What the background jobs of pay runs (``wages.payruns.tasks``) and of the ledger
(``wages.ledger.tasks``) share: a job asked for by someone without the permission is refused
before anything is queued, and a screen shows the newest job about its run or the ledger.

The work runs on a task backend's worker (``manage.py db_worker`` in production, at once in the
demo and the tests): a run of 100,000 workers or a ledger of millions of journals takes longer
than a web request may. The work calls the operation itself, which checks the permission again,
as the user who asked, fetched afresh when the work starts, and reports how far it has got a
batch at a time. The operations stay callable directly; nothing here changes what they do.
"""

from django.core.exceptions import PermissionDenied

from core.jobs import Job


def require(user, permission: str, message: str) -> None:
    if user is None or not user.has_perm(permission):
        raise PermissionDenied(message)


def latest_job(subject: str, kinds) -> Job | None:
    return (
        Job.objects.filter(subject=subject, kind__in=kinds)
        .select_related("requested_by")
        .order_by("-requested_at", "-pk")
        .first()
    )
