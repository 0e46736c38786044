"""How a pay run's line reads on screen: its warnings in words, its payers and trades by name, and
the few figures the run's table keeps (``summary_of``); the run's page and a line's own page
(``wages.payruns.views``, ``wages.payruns.line_views``) both read lines through here."""

from decimal import Decimal

from django.utils.translation import gettext as _
from djmoney.money import Money

from core.formatting import format_money
from wages.models import PayRunLine
from wages.payruns.posting import payer_names
from workshops.models import Trade

AMOUNTS = ("hourly", "floor", "owed", "amount")  # the warnings' amounts, kept as plain text


def warning_text(warning: dict, names: dict, currency: str | None = None) -> str:
    """A line's warning, in words; with the run's ``currency``, its amounts are written as money
    (core.formatting), as every screen writes money."""
    if currency:
        warning = warning | {
            key: format_money(Money(warning[key], currency)) for key in AMOUNTS if key in warning
        }
    code = warning["code"]
    if code == "below_floor" and "trade" in warning:  # a partner's work, judged trade by trade
        return _(
            "Below the market wage for %(trade)s (%(payer)s): %(hourly)s an hour against "
            "%(floor)s; %(owed)s owed as back wages."
        ) % {
            **warning,
            "payer": names.get(warning["payer"], warning["payer"]),
            "trade": names.get(f"trade:{warning['trade']}", warning["trade"]),
        }
    if code == "below_floor":
        return _(
            "Below the wage floor (%(payer)s): %(hourly)s an hour against %(floor)s; "
            "%(owed)s owed as back wages."
        ) % {**warning, "payer": names.get(warning["payer"], warning["payer"])}
    if code == "over_limit":
        return _("Hours over the working-time limits on %(days)s day(s).") % warning
    if code == "late_records":
        return _("Includes work of %(days)s day(s) before the period, recorded late.") % warning
    if code == "late_training":
        return _("Includes training of %(days)s day(s) before the period, recorded late.") % warning
    if code == "no_benchmark":
        return _("No market wage benchmark for %(trade)s in this region: floor not checked.") % {
            "trade": names.get(f"trade:{warning['trade']}", warning["trade"])
        }
    if code == "recovery_postponed":
        return (
            _("Adjustments of %(amount)s exceed this pay: recovered in a later run instead.")
            % warning
        )
    return code


def names_of_payers() -> dict:
    """Payers and trades by the keys lines and warnings use (``own``, ``partner:<id>``,
    ``trade:<id>``), as a person reads them."""
    names = {"own": _("own workshops")} | payer_names()
    names |= {f"trade:{trade.pk}": str(trade) for trade in Trade.objects.all()}
    return names


def deductions_total(line: PayRunLine) -> Decimal:
    """What a line sets aside for the policy's categories (family, savings, victims' fund…), as
    opposed to what the worker may spend: gross = deductions + own spending."""
    return sum((Decimal(amount) for amount in line.deductions.values()), Decimal(0))


def summary_of(line: PayRunLine, currency: str, names: dict) -> dict:
    """A line as the run's table shows it: worker, hours, gross, own spending and warnings,
    amounts with the run's currency."""
    return {
        "line": line,
        "gross": Money(line.gross, currency),
        "own_spending": Money(line.own_spending, currency),
        "warnings": [warning_text(warning, names, currency) for warning in line.warnings],
    }
