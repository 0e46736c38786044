"""How the background-work tests queue work without running it and read what the back office
shows of it: the jobs queued, the job section of a page, its time, and the auditor who verifies.
"""

import re

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.formats import date_format

from brand.roles import sync_roles
from core.jobs import Job
from core.testing.twofactor import login_with_second_factor

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
REFRESH = 'data-job-refresh="5"'


def jobs() -> list[tuple]:
    return list(
        Job.objects.order_by("pk").values_list(
            "kind", "subject", "status", "requested_by__username", "result", "error"
        )
    )


def the_job() -> Job:
    return Job.objects.get()


def job_section(response) -> str:
    """The text of the job's section of a page, in single spaces; empty when there is none."""
    found = re.search(r'<section class="bw-job.*?</section>', response.text, re.S)
    if not found:
        return ""
    return " ".join(re.sub(r"<[^>]+>", " ", found.group()).split())


def job_time(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def section_time(moment) -> str:
    """``job_time`` as ``job_section`` reads it: its spaces single (English writes a narrow
    no-break space before "PM")."""
    return " ".join(job_time(moment).split())


def auditor(client) -> User:
    user = User.objects.create_user("auditor", password="a-long-test-password-1")
    user.groups.add(sync_roles()["auditor"])
    login_with_second_factor(client, user)
    return user
