"""Which code acts on which Stripe event type: a small registry.

    @handles("checkout.session.completed")
    def paid(event: dict) -> Handled: ...

A handler gets the verified event as plain data (``event["data"]["object"]`` is the Stripe
object) and runs inside the webhook's transaction, the one that stores the event's id
(``catalogue.cards.webhooks``): it must not call the network, and whatever it changes is kept
once, with the id. It returns what it did (``Handled``: the order concerned, if any, and a few
words for the event's record). Another area registers its own types the same way (refunds:
``charge.refunded``), from a module imported when the app loads.
"""

from collections.abc import Callable
from dataclasses import dataclass

from catalogue.models import Order


@dataclass(frozen=True)
class Handled:
    outcome: str
    order: Order | None = None


Handler = Callable[[dict], Handled]
_handlers: dict[str, Handler] = {}


def handles(event_type: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        if _handlers.get(event_type, handler) is not handler:
            raise ValueError(f"{event_type} already has a handler: {_handlers[event_type]}")
        _handlers[event_type] = handler
        return handler

    return register


def handler_for(event_type: str) -> Handler | None:
    return _handlers.get(event_type)


def handled_types() -> list[str]:
    return sorted(_handlers)
