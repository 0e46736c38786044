"""Quote numbers: ``Q-<year>-<six digits>``, counted per year on a counter row locked in the
transaction that writes the request. A request that rolls back may leave a number unused, which is
allowed for quotes (they are not tax documents); none repeats."""

import datetime

from catalogue.models import QuoteCounter

PREFIX = "Q"


def next_quote_number(on: datetime.date) -> str:
    QuoteCounter.objects.get_or_create(year=on.year)
    counter = QuoteCounter.objects.select_for_update().get(year=on.year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{PREFIX}-{on.year}-{counter.last:06d}"
