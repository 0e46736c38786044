"""Closing a period: no journal may then be dated on or before its last day."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import format_day
from wages.models import PeriodClose


def closed_up_to() -> datetime.date | None:
    return PeriodClose.objects.aggregate(up_to=Max("up_to"))["up_to"]


@transaction.atomic
def close_period(up_to: datetime.date, *, user) -> PeriodClose:
    """Refuse postings dated on or before ``up_to`` from now on: a past day, later than the
    last close."""
    if up_to >= timezone.localdate():
        raise ValidationError(_("Only a day in the past can be closed."))
    closed = closed_up_to()
    if closed is not None and up_to <= closed:
        raise ValidationError(
            _("The period up to %(closed)s is already closed.") % {"closed": format_day(closed)}
        )
    return PeriodClose.objects.create(up_to=up_to, closed_by=user)
