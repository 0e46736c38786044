"""The one check of a worker's working time (Mandela Rule 102), for production entry and training
attendance alike: both count as time the person is occupied (DESIGN.md, "Working time").

``working_time_breaches(hours_by_day, day=…)`` is pure: the production and training issues pass
the worker's recorded hours (production plus training, by day) with the new entry added, and get
back what the policy in force on that day forbids. Nothing here reads those records itself, so the
rule is one function whatever records feed it.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from workshops.models import WorkingTimePolicy

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Breach:
    code: str  # HOURS_DAY, HOURS_WEEK or REST_DAY, as in the compliance rules
    message: str


def working_time_breaches(
    hours_by_day: dict[datetime.date, Decimal], *, day: datetime.date, policy=None
) -> list[Breach]:
    """What the working-time policy in force on ``day`` says about ``day``: hours that day, hours
    in its ISO week up to that day, and a day of rest in every 7 consecutive days that hold ``day``."""
    policy = policy or WorkingTimePolicy.in_force_on(day)
    if policy is None:
        return []
    breaches = []
    worked = hours_by_day.get(day, Decimal(0))
    if worked > policy.max_hours_per_day:
        breaches.append(
            Breach(
                "HOURS_DAY",
                _("%(hours)s hours on %(day)s; the limit is %(limit)s a day.")
                % {"hours": worked, "day": day, "limit": policy.max_hours_per_day},
            )
        )
    monday = day - datetime.timedelta(days=day.isoweekday() - 1)
    # The week so far: the day that takes the week over the limit, and each day after it, breach
    # it; the days before did not (a grid is entered day by day).
    days_so_far = (day - monday).days + 1
    week = sum(
        (hours_by_day.get(monday + ONE_DAY * n, Decimal(0)) for n in range(days_so_far)),
        Decimal(0),
    )
    if week > policy.max_hours_per_week:
        breaches.append(
            Breach(
                "HOURS_WEEK",
                _("%(hours)s hours in the week of %(monday)s; the limit is %(limit)s a week.")
                % {"hours": week, "monday": monday, "limit": policy.max_hours_per_week},
            )
        )
    if worked > 0:
        # Every window of 7 days that holds ``day``: work entered for a past day can close a
        # streak that ends after it.
        for last in (day + ONE_DAY * n for n in range(7)):
            window = [last - ONE_DAY * n for n in range(7)]
            rest_days = sum(1 for d in window if hours_by_day.get(d, Decimal(0)) == 0)
            if rest_days < policy.rest_days_per_week:
                breaches.append(
                    Breach(
                        "REST_DAY",
                        _("No day of rest in the 7 days up to %(day)s.") % {"day": last},
                    )
                )
                break
    return breaches
