"""What bank statements promise under concurrency on PostgreSQL, with real connections: the
same file imported twice at once is one statement, its lines and journals once, and the orders
it pays paid once; one unmatched line matched by hand twice at once is matched once."""

import pytest

from catalogue.models import BankStatement, Order, StatementLine
from catalogue.statements.importing import import_statement, match_line
from core.testing.database import race
from tests.catalogue.statement_builders import build_statement_orders, finance_officer, sample
from wages.models import Journal

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CAMT = "camt053_2026-05-04.xml"


@pytest.fixture
def orders():
    return build_statement_orders()


def test_the_same_statement_imported_at_once_is_imported_once(orders):
    finance = finance_officer()
    data = sample(CAMT)
    outcomes = race(
        *(lambda: import_statement(data=data, file_name=CAMT, user=finance) for _ in range(4))
    )
    assert sorted(outcome.created for outcome in outcomes) == [False, False, False, True]
    assert {outcome.statement.pk for outcome in outcomes} == {BankStatement.objects.get().pk}
    assert StatementLine.objects.count() == 6
    assert Journal.objects.filter(key__startswith="statement-line:").count() == 4
    assert dict(Order.objects.values_list("number", "status")) == {
        "BW-2026-0001": "paid",
        "BW-2026-0002": "awaiting_payment",
        "BW-2026-0003": "paid",
        "BW-2026-0004": "paid",
        "BW-2026-0005": "awaiting_payment",
    }


def test_one_line_matched_by_hand_twice_at_once_is_matched_once(orders):
    finance = finance_officer()
    statement = import_statement(data=sample(CAMT), file_name=CAMT, user=finance).statement
    line = statement.lines.get(position=5)
    outcomes = race(
        *(lambda: match_line(line, order_number="BW-2026-0005", user=finance) for _ in range(3))
    )
    line.refresh_from_db()
    assert line.state == "partial"
    assert line.order.number == "BW-2026-0005"
    assert Journal.objects.filter(key=f"statement-line:{line.pk}").count() == 1
    assert {outcome.pk for outcome in outcomes} == {line.pk}  # the later ones: a double click
