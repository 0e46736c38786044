"""Assigning workers to workshops, transfers between prisons, and release.

Each operation locks the worker's row, checks, changes and writes the audit log in one transaction;
a refusal is a ``ValidationError`` with a specific message and changes nothing.

``workshops`` imports nothing above it, so what a transfer or a release means for pay (the
balances carried, the final pay and payout) is done by the Wagtail hooks
``bridgework_worker_transferred(worker, stay, on, user)`` and
``bridgework_worker_released(worker, on, user)``, which ``wages`` registers. They run inside the
operation's transaction: a hook that refuses (``ValidationError``) undoes the whole move.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.log_actions import log

from core.formatting import format_day
from workshops.models import Assignment, Contract, Partner, Prison, Stay, Worker, Workshop
from workshops.register.suspensions import assignment_refusal

ONE_DAY = datetime.timedelta(days=1)
WORKER_TRANSFERRED = "bridgework_worker_transferred"
WORKER_RELEASED = "bridgework_worker_released"


def _shown(day) -> str:
    return format_day(day) if day else _("open")


def overlapping(queryset, start, end):
    """Rows of ``queryset`` (with ``start``/``end``) whose period meets [start, end]."""
    rows = queryset.filter(Q(end__isnull=True) | Q(end__gte=start))
    return rows.filter(start__lte=end) if end else rows


def check_assignment(
    *, worker: Worker, workshop: Workshop, start, end=None, exclude_pk=None
) -> None:
    """Refuse (``ValidationError``) an assignment outside the worker's stay at the workshop's
    prison, overlapping another of theirs in the same workshop, to a suspended workshop, or to
    the workshop of a suspended partner's contract (``suspensions``: the refusal names the
    assessment). The admin form and ``assign_worker`` both call it."""
    if end and end < start:
        raise ValidationError(_("An assignment cannot end before it starts."))
    stays = Stay.objects.filter(worker=worker, prison=workshop.prison, start__lte=start)
    stays = (
        stays.filter(Q(end__isnull=True) | Q(end__gte=end))
        if end
        else stays.filter(end__isnull=True)
    )
    if not stays.exists():
        raise ValidationError(
            _(
                "%(worker)s is not held at %(prison)s for the whole period %(start)s to %(end)s; "
                "an assignment must fall within a stay there."
            )
            % {
                "worker": worker,
                "prison": workshop.prison,
                "start": format_day(start),
                "end": _shown(end),
            }
        )
    others = Assignment.objects.filter(worker=worker, workshop=workshop).exclude(pk=exclude_pk)
    clash = overlapping(others, start, end).first()
    if clash:
        raise ValidationError(
            _("%(worker)s is already assigned to %(workshop)s from %(start)s to %(end)s.")
            % {
                "worker": worker,
                "workshop": workshop,
                "start": format_day(clash.start),
                "end": _shown(clash.end),
            }
        )
    # The status as it is now, not as the caller's copy of the workshop last saw it.
    current = Workshop.objects.only(
        "name", "fairness", "fairness_since", "fairness_assessment"
    ).get(pk=workshop.pk)
    suspended = (
        overlapping(Contract.objects.filter(workshop=workshop), start, end)
        .filter(partner__fairness=Partner.Fairness.SUSPENDED)
        .select_related("partner")
        .first()
    )
    refusal = assignment_refusal(current, suspended)
    if refusal:
        raise ValidationError(refusal)


@transaction.atomic
def assign_worker(*, worker: Worker, workshop: Workshop, start, end=None, user=None) -> Assignment:
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    check_assignment(worker=worker, workshop=workshop, start=start, end=end)
    assignment = Assignment.objects.create(worker=worker, workshop=workshop, start=start, end=end)
    log(assignment, "wagtail.create", user=user)
    return assignment


@transaction.atomic
def end_assignment(*, assignment: Assignment, on, user=None) -> Assignment:
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if on < assignment.start:
        raise ValidationError(_("An assignment cannot end before it starts."))
    assignment.end = on
    assignment.save(update_fields=["end"])
    log(assignment, "wagtail.edit", user=user)
    return assignment


def _close_open_rows(worker, last_day, user):
    for assignment in Assignment.objects.filter(worker=worker, end__isnull=True):
        if assignment.start > last_day:
            raise ValidationError(
                _("%(worker)s has an assignment starting %(start)s, after %(day)s.")
                % {
                    "worker": worker,
                    "start": format_day(assignment.start),
                    "day": format_day(last_day),
                }
            )
        end_assignment(assignment=assignment, on=last_day, user=user)
    for stay in Stay.objects.filter(worker=worker, end__isnull=True):
        if stay.start > last_day:
            raise ValidationError(
                _("%(worker)s's stay at %(prison)s starts after %(day)s.")
                % {"worker": worker, "prison": stay.prison, "day": format_day(last_day)}
            )
        stay.end = last_day
        stay.save(update_fields=["end"])
        log(stay, "wagtail.edit", user=user)


@transaction.atomic
def transfer_worker(*, worker: Worker, to_prison: Prison, on, user=None) -> Stay:
    """From ``on`` the worker is held at ``to_prison``; their stay and assignments end the day
    before. The history stays."""
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    _close_open_rows(worker, on - ONE_DAY, user)
    stay = Stay.objects.create(worker=worker, prison=to_prison, start=on)
    log(stay, "wagtail.create", user=user)
    for handler in hooks.get_hooks(WORKER_TRANSFERRED):
        handler(worker=worker, stay=stay, on=on, user=user)
    return stay


@transaction.atomic
def release_worker(*, worker: Worker, on, user=None) -> Worker:
    """The worker leaves on ``on``: their stay and assignments end that day."""
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    _close_open_rows(worker, on, user)
    worker.release_date = on
    worker.save(update_fields=["release_date"])
    log(worker, "wagtail.edit", user=user)
    for handler in hooks.get_hooks(WORKER_RELEASED):
        handler(worker=worker, on=on, user=user)
    return worker
