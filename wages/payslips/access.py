"""Who reads which payslips. Workers have no login: supervisors hand out the printed slips of the
workshops they supervise (``workshops.access.workshop_policy``), so they read only those;
finance officers and auditors read every slip. Nobody else reads any.

    sees_every(user) -> bool
    visible_payslips(user) -> QuerySet[Payslip]
    visible_workshops(user, run) -> QuerySet[Workshop]     whose slips of ``run`` ``user`` reads
    payslip_file_access(user) -> Q | None                  the private-file access hook
"""

from django.db.models import Q

from wages.models import Payslip
from wages.models.payslips import PURPOSE
from wages.payslips.generation import VIEW
from workshops.access import ANY_WORKSHOP, RECORD, workshop_policy
from workshops.models import Workshop


def sees_every(user) -> bool:
    """Finance officers and auditors (the view permission, no supervision duties), and whoever
    may record for any workshop (administrators)."""
    return user.has_perm(VIEW) and (not user.has_perm(RECORD) or user.has_perm(ANY_WORKSHOP))


def visible_payslips(user):
    if not user.is_authenticated or not user.has_perm(VIEW):
        return Payslip.objects.none()
    if sees_every(user):
        return Payslip.objects.all()
    return Payslip.objects.filter(
        pk__in=Payslip.objects.filter(workshops__in=workshop_policy.supervised(user)).values("pk")
    )


def visible_workshops(user, run):
    """The workshops with slips in ``run`` that ``user`` reads."""
    with_slips = Workshop.objects.filter(payslips__run=run).distinct()
    if sees_every(user):
        return with_slips
    if not user.has_perm(VIEW):
        return Workshop.objects.none()
    return with_slips.filter(pk__in=workshop_policy.supervised(user).values("pk"))


def payslip_file_access(user) -> Q | None:
    """The stored PDFs of the slips ``user`` reads (``core.private_files``)."""
    if not user.has_perm(VIEW):
        return None
    if sees_every(user):
        return Q(purpose=PURPOSE)
    return Q(purpose=PURPOSE, pk__in=visible_payslips(user).values("document"))
