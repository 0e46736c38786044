"""The demo's payslips: every posted pay run's, made as finance would after posting (the demo runs
tasks at once, so the job that posting starts would make them too once the seed commits; made
here, inside the seed, they are there when it ends). Idempotent: a slip already made is kept."""

from django.contrib.auth import get_user_model

from wages.models import PayRun, Payslip
from wages.payslips.generation import generate_payslips


def seed_payslips() -> dict:
    finance = get_user_model().objects.get(username="finance")
    for run in PayRun.objects.filter(status=PayRun.Status.POSTED).order_by("period_start", "pk"):
        generate_payslips(run, user=finance)
    return {"payslips": Payslip.objects.count()}
