"""``expire_quotes``: a quote past its ``valid_until`` day becomes expired (quoted → expired).

Pages already show such a quote as expired when they read it (``Quote.shown_status``) and
accepting it is refused; this writes the state down, for the listing's filter and the audit log.
Run it daily from cron: ``python manage.py expire_quotes``. Running it twice changes nothing more.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from catalogue.models import Quote


@transaction.atomic
def expire_quotes(today: datetime.date | None = None) -> int:
    """Expire every quote still quoted whose ``valid_until`` is before ``today``; returns how many."""
    today = today or timezone.localdate()
    now = timezone.now()
    due = Quote.objects.select_for_update().filter(
        status=Quote.Status.QUOTED, valid_until__lt=today
    )
    expired = 0
    for quote in due.order_by("pk"):
        quote.status, quote.expired_at = Quote.Status.EXPIRED, now
        quote.save(update_fields=["status", "expired_at"])
        log(quote, "bridgework.quote_expired", user=None)
        expired += 1
    return expired
