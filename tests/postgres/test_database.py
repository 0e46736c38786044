"""What must hold on the production database: the schema migrates, the demo seeds, and
background tasks queue in PostgreSQL for ``db_worker`` (django-tasks-db)."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django_tasks_db.models import DBTaskResult

from core.mail import send_email

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parent.parent.parent
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_database_is_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 150000


def test_seed_demo_runs_on_postgresql_twice():
    for _run in range(2):
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("seed_demo", stdout=io.StringIO())

    from brand.models import StoryPage
    from workshops.models import Consent, Trade, Worker

    assert (
        StoryPage.objects.live().count(),
        Trade.objects.count(),
        Worker.objects.count(),
        Consent.objects.count(),
    ) == (12, 27, 200, 67)


@pytest.mark.django_db(transaction=True)
def test_tasks_queue_in_the_database_until_the_worker_runs_them(settings, tmp_path):
    """The real production arrangement: the web process enqueues into PostgreSQL, and a separate
    ``db_worker`` process picks the task up and sends the e-mail."""
    settings.TASKS = DATABASE_TASKS  # django-tasks resets its backends when TASKS changes

    result = send_email.enqueue(subject="Quote", body="Attached.", to=["buyer@example.org"])

    assert DBTaskResult.objects.get().status == "READY"
    assert mail.outbox == []

    database = connection.settings_dict
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "brand.settings.dev",
            "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
            "TASKS_BACKEND": "database",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert worker.returncode == 0, worker.stderr
    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
    [sent] = list(tmp_path.iterdir())
    assert "Subject: Quote" in sent.read_text()
