"""What a refund takes back from each order line and from shipping, without tax and tax: the
figures of its credit note and of its journal.

**What remains** of a line (or of shipping) is what the order charged for it less what refunds
that count (pending or made, ``Refund.counts``) took back: units, amount without tax, tax.

**By lines** (``parts_by_lines``): a refunded quantity takes its share of what the buyer paid for
the line, ``gross × quantity ÷ line quantity``, and of its tax, ``tax × quantity ÷ line
quantity``, each rounded half up to the minor unit (``core.money.round_money``), never more than
remains; the amount without tax is the gross share less the tax share. (Rounding the amount
without tax and the tax apart could give back a cent more than the units cost: one unit of a
3.90 line of two at 5.5 %, net 7.39 tax 0.41, would be 3.70 + 0.21 = 3.91.) The **last units**
of a line take exactly what remains of it, so the refunds of a whole line always sum to the line. A refund
that takes the last units of every line also gives back what remains of shipping: the buyer
returned the whole order (the EU Consumer Rights Directive, article 13, refunds delivery too).

**By amount** (``parts_by_amount``): the amount is split across what remains of each line's amount
without tax, each line's tax, shipping without tax and shipping's tax (in that order: lines by
their id, then shipping), in proportion to them, by ``core.money.allocate``'s **largest-remainder
rule**: every part is rounded down to the minor unit, and the cents left over go one each to the
parts with the largest remainders, ties to the earlier part. The parts sum exactly to the amount,
and none passes what remains (remaining amounts are whole cents, so a part rounded down and
given at most one cent never exceeds its share's cent above). Before any refund, what remains is
the order's composition itself.

Worked example (the tests' order: bread net 20.00 tax 4.00, apron net 25.42 tax 5.08, shipping
net 5.00 tax 1.00; total 60.50), 10.00 refunded by amount: exact shares 3.3057…, 0.6611…, 4.2016…,
0.8396…, 0.8264…, 0.1652…; rounded down 3.30, 0.66, 4.20, 0.83, 0.82, 0.16 = 9.97; the three cents
left go to the largest remainders (0.0097 apron tax, 0.0064 shipping net, 0.0058 bread net):
3.31, 0.66, 4.20, 0.84, 0.83, 0.16 = 10.00.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from moneyed import Money

from catalogue.models import Order, OrderLine, RefundPart
from core.money import allocate, round_money

SHIPPING = None  # the key of shipping among an order's parts; a line's key is its id


@dataclass(frozen=True)
class Left:
    """What remains refundable of one line, or of shipping (``line`` None)."""

    line: OrderLine | None
    description: str
    tax_rate: Decimal
    quantity: int
    net: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Part:
    line: OrderLine | None
    description: str
    tax_rate: Decimal
    quantity: int
    restock: bool
    net: Decimal
    tax: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax


def remaining(order: Order) -> dict[int | None, Left]:
    """What remains refundable of each of ``order``'s lines (by id) and of its shipping (``None``),
    after the refunds that count."""
    taken: dict[int | None, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 3)
    parts = RefundPart.objects.filter(refund__order=order).exclude(refund__status="failed")
    for line_id, quantity, net, tax in parts.values_list("line_id", "quantity", "net", "tax"):
        sums = taken[line_id]
        sums[0] += quantity
        sums[1] += net
        sums[2] += tax
    left: dict[int | None, Left] = {}
    for line in sorted(order.lines.all(), key=lambda line: line.pk):  # prefetched or not
        quantity, net, tax = taken[line.pk]
        left[line.pk] = Left(
            line,
            line.description,
            line.tax_rate,
            line.quantity - int(quantity),
            line.net.amount - net,
            line.tax.amount - tax,
        )
    _quantity, net, tax = taken[SHIPPING]
    left[SHIPPING] = Left(
        None,
        order.shipping_name,
        order.shipping_tax_rate,
        0,
        order.shipping_net.amount - net,
        order.shipping_tax.amount - tax,
    )
    return left


def _share(amount: Decimal, quantity: int, of: int, currency: str) -> Decimal:
    return round_money(Money(amount * quantity / of, currency)).amount


def parts_by_lines(order: Order, lines, left: dict[int | None, Left]) -> list[Part]:
    """The parts of a refund of ``lines`` (``(order line id, quantity, restock)``); refused in
    words when a line is not the order's, named twice, or asked for more units than remain."""
    currency = order.currency
    parts, seen = [], set()
    for line_id, quantity, restock in lines:
        remains = left.get(line_id) if line_id is not SHIPPING else None
        if remains is None:
            raise ValidationError(
                _("Line %(line)s is not a line of order %(number)s.")
                % {"line": line_id, "number": order.number}
            )
        if line_id in seen:
            raise ValidationError(
                _("%(line)s is named twice: give each line once.") % {"line": remains.description}
            )
        seen.add(line_id)
        if not isinstance(quantity, int) or quantity < 1:
            raise ValidationError(
                _("%(line)s: a quantity to refund is a whole number from 1.")
                % {"line": remains.description}
            )
        if quantity > remains.quantity:
            raise ValidationError(
                _(
                    "%(line)s: %(quantity)s units cannot be refunded, only %(left)s remain "
                    "unrefunded."
                )
                % {"line": remains.description, "quantity": quantity, "left": remains.quantity}
            )
        line = remains.line
        if quantity == remains.quantity:
            net, tax = remains.net, remains.tax
        else:
            gross = min(
                _share(line.gross.amount, quantity, line.quantity, currency),
                remains.net + remains.tax,
            )
            tax = min(
                _share(line.tax.amount, quantity, line.quantity, currency), remains.tax, gross
            )
            net = min(gross - tax, remains.net)
        parts.append(Part(line, line.description, line.tax_rate, quantity, bool(restock), net, tax))
    asked = {part.line.pk: part.quantity for part in parts}
    whole = all(
        asked.get(key, 0) == remains.quantity
        for key, remains in left.items()
        if key is not SHIPPING
    )
    shipping = left[SHIPPING]
    if whole and (shipping.net or shipping.tax):
        parts.append(
            Part(
                None, shipping.description, shipping.tax_rate, 0, False, shipping.net, shipping.tax
            )
        )
    return [part for part in parts if part.quantity or part.gross]


def parts_by_amount(order: Order, amount: Money, left: dict[int | None, Left]) -> list[Part]:
    """The parts of a refund of ``amount`` (at most what remains in all), by the
    largest-remainder rule of this module's docstring."""
    rows = list(left.values())
    weights = [value for row in rows for value in (row.net, row.tax)]
    if sum(weights) <= 0:
        raise ValidationError(
            _("Nothing of order %(number)s remains to refund.") % {"number": order.number}
        )
    shares = [share.amount for share in allocate(amount, weights)]
    parts = []
    for index, row in enumerate(rows):
        net, tax = shares[2 * index], shares[2 * index + 1]
        if net or tax:
            parts.append(Part(row.line, row.description, row.tax_rate, 0, False, net, tax))
    return parts


def tax_by_rate(parts) -> list[tuple[Decimal, Decimal, Decimal]]:
    """``(rate, without tax, tax)`` per rate over ``parts``: the credit note's tax table."""
    net: dict[Decimal, Decimal] = defaultdict(Decimal)
    tax: dict[Decimal, Decimal] = defaultdict(Decimal)
    for part in parts:
        net[part.tax_rate] += part.net.amount if isinstance(part.net, Money) else part.net
        tax[part.tax_rate] += part.tax.amount if isinstance(part.tax, Money) else part.tax
    return [(rate, net[rate], tax[rate]) for rate in sorted(net)]
