"""Recomputing the impact figures in the background: ``recompute`` is a django-tasks task (run
at once by the immediate backend, by ``manage.py db_worker`` with the database backend), and
``recompute_after_commit()`` queues it once the current transaction commits, so it reads what
was just written, and not at all when that transaction rolls back. Once stored, the page cache is
emptied (core.page_cache), so the impact page shows them at once."""

from django.db import transaction
from django_tasks import task

from brand.impact.figures import compute, store
from core import page_cache


@task()
def recompute() -> None:
    store(compute())
    page_cache.invalidate()  # the impact page shows them


def recompute_after_commit() -> None:
    transaction.on_commit(recompute.enqueue)
