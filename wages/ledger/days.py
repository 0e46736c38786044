"""Chains of one day's journals: the money that moves outside a pay run (a sale, a refund, a
canteen purchase, a remittance, a payout, a partner's labour invoice) is posted into the chain of
the day it is posted, one chain per book and day, ``<book>:YYYY-MM-DD``. ``close_ledger_day``
closes yesterday's chains into the checkpoint sequence once the day is over.

    DAY_BOOKS                        the books that keep day chains: "shop", "wages"
    day_chain_name(book, day) -> str
    todays_chain(book) -> Chain      opened when first needed
    close_day_chain(book, day) -> Checkpoint | None   None when nothing was posted that day
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from wages.ledger.chains import close_chain, open_chain
from wages.models import Chain, Checkpoint

DAY_BOOKS = ("shop", "wages")


def day_chain_name(book: str, day: datetime.date) -> str:
    if book not in DAY_BOOKS:
        raise ValueError(f"{book!r} keeps no day chains; the books that do: {DAY_BOOKS}")
    return f"{book}:{day.isoformat()}"


def todays_chain(book: str) -> Chain:
    return open_chain(day_chain_name(book, timezone.localdate()))


def close_day_chain(book: str, day: datetime.date) -> Checkpoint | None:
    """Close ``book``'s chain of ``day`` into the checkpoint sequence; None when nothing was
    posted that day. A day not yet over is refused: its chain is still being written. Closing a
    closed chain again returns its checkpoint."""
    if day >= timezone.localdate():
        raise ValidationError(
            _("%(day)s is not over yet: a day's chain is closed from the next day on.")
            % {"day": day.isoformat()}
        )
    chain = Chain.objects.filter(name=day_chain_name(book, day)).first()
    if chain is None:
        return None
    return close_chain(chain)
