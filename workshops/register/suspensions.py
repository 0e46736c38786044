"""What a suspension means, in one place: a partner or a workshop whose signed assessment
suspended it gets no new assignments (``check_assignment``), and the work already under way there
may be recorded for the working-time policy's ``suspension_notice_days`` after the day the
assessment was signed, no later (``workshops.production.checks``). Each refusal names the
assessment and its day, so the supervisor or programme manager knows what to read.

The status and its assessment live on the partner and the workshop and are set only by
``workshops.register.contracts.set_partner_fairness`` / ``set_workshop_fairness``, which the
compliance app calls when an assessment is signed. A status set before assessments carried a
day (``fairness_since`` empty) still refuses assignments, but sets no last day for work.
"""

import datetime

from django.utils.translation import gettext as _

from core.formatting import format_day
from workshops.models import Contract, WorkingTimePolicy, Workshop
from workshops.models.fairness import Fairness

DEFAULT_NOTICE_DAYS = WorkingTimePolicy._meta.get_field("suspension_notice_days").default


def is_suspended(subject) -> bool:
    """``subject``: a partner or a workshop."""
    return subject.fairness == Fairness.SUSPENDED


def _named(subject) -> bool:
    return bool(subject.fairness_assessment and subject.fairness_since)


def assignment_refusal(workshop: Workshop, contract: Contract | None) -> str | None:
    """Why no new assignment to ``workshop`` may be made (``contract``: one of a suspended
    partner over the assignment's period, or None), or None when it may."""
    if is_suspended(workshop):
        if _named(workshop):
            return _(
                "%(workshop)s is suspended by assessment %(assessment)s signed %(signed)s: no "
                "new assignments until the workshop puts things right."
            ) % {
                "workshop": workshop,
                "assessment": workshop.fairness_assessment,
                "signed": format_day(workshop.fairness_since),
            }
        return _(
            "%(workshop)s is suspended: no new assignments until the workshop puts things right."
        ) % {"workshop": workshop}
    if contract is None:
        return None
    partner = contract.partner
    if _named(partner):
        return _(
            "%(workshop)s works under contract %(contract)s of %(partner)s, which is suspended by "
            "assessment %(assessment)s signed %(signed)s: no new assignments until the partner "
            "puts things right."
        ) % {
            "workshop": workshop,
            "contract": contract,
            "partner": partner,
            "assessment": partner.fairness_assessment,
            "signed": format_day(partner.fairness_since),
        }
    return _(
        "%(workshop)s works under contract %(contract)s of %(partner)s, which is suspended: "
        "no new assignments until the partner puts things right."
    ) % {"workshop": workshop, "contract": contract, "partner": partner}


def last_day_of_work(subject, policy: WorkingTimePolicy | None) -> datetime.date | None:
    """The last day work under way at a suspended ``subject`` may be recorded: the day its
    assessment was signed plus the notice of ``policy`` (the one in force on the record's day);
    None when it is not suspended or the day is not known."""
    if not is_suspended(subject) or subject.fairness_since is None:
        return None
    days = policy.suspension_notice_days if policy else DEFAULT_NOTICE_DAYS
    return subject.fairness_since + datetime.timedelta(days=days)


def production_refusal(
    workshop: Workshop, contract: Contract | None, day: datetime.date, policy
) -> str | None:
    """Why a production record of ``workshop`` on ``day`` cannot be saved because the workshop
    itself, or the partner of ``contract`` (the one in force that day), is suspended; None when
    it can."""
    values = {"workshop": workshop.slug, "day": format_day(day)}
    last = last_day_of_work(workshop, policy)
    if last is not None and day > last:
        values.update(last=format_day(last), signed=format_day(workshop.fairness_since))
        if workshop.fairness_assessment:
            return _(
                "%(workshop)s is suspended by assessment %(assessment)s signed %(signed)s: work "
                "under way could be recorded until %(last)s, not on %(day)s."
            ) % {**values, "assessment": workshop.fairness_assessment}
        return (
            _(
                "%(workshop)s is suspended since %(signed)s: work under way could be recorded until "
                "%(last)s, not on %(day)s."
            )
            % values
        )
    partner = contract.partner if contract else None
    last = last_day_of_work(partner, policy) if partner else None
    if last is not None and day > last:
        values.update(
            contract=contract,
            partner=partner,
            last=format_day(last),
            signed=format_day(partner.fairness_since),
        )
        if partner.fairness_assessment:
            return _(
                "%(workshop)s works under contract %(contract)s of %(partner)s, which is "
                "suspended by assessment %(assessment)s signed %(signed)s: work under way could "
                "be recorded until %(last)s, not on %(day)s."
            ) % {**values, "assessment": partner.fairness_assessment}
        return (
            _(
                "%(workshop)s works under contract %(contract)s of %(partner)s, which is suspended "
                "since %(signed)s: work under way could be recorded until %(last)s, not on %(day)s."
            )
            % values
        )
    return None
