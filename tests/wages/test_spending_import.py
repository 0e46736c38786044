"""Importing the prison shop's purchase file: all or nothing, every bad row reported by line and
reason, nothing posted when any row is bad; the same file twice posts once; XLSX like CSV; the
command shares the importer and exits non-zero when it refuses."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from tests.wages.spending_builders import (
    TODAY,
    YESTERDAY,
    D,
    fund,
    officer,
    own_balance,
    snapshot,
    worker,
)
from wages.accounts.purchase_import import PurchasesRefused, import_purchases
from wages.models import Account, Journal, Purchase

pytestmark = pytest.mark.django_db
DAY = YESTERDAY.isoformat()
HEADER = "date,worker,amount,description,reference\n"


@pytest.fixture
def people():
    ana, ben = worker("W-ANA001"), worker("W-BEN002")
    fund(ana, "20.00")
    fund(ben, "5.00")
    return ana, ben


def csv_file(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


GOOD = (
    f"{DAY},W-ANA001,12.50,Soap,SHOP-1",
    f"{DAY},W-BEN002,4.10,Tea,SHOP-2",
    f"{DAY},W-ANA001,7.50,Stamps,SHOP-3",
)


def test_a_good_file_posts_every_purchase(people):
    ana, ben = people
    result = import_purchases(csv_file(*GOOD), file_name="shop.csv", user=officer())
    assert (result.rows, result.posted, result.already, result.total) == (3, 3, 0, D("24.10"))
    assert own_balance(ana) == D("0.00")  # 20.00 − 12.50 − 7.50
    assert own_balance(ben) == D("0.90")  # 5.00 − 4.10
    assert Account.objects.get(code="canteen").balance == D("-24.10")
    assert sorted(Purchase.objects.values_list("key", "source")) == [
        ("SHOP-1", "shop.csv"),
        ("SHOP-2", "shop.csv"),
        ("SHOP-3", "shop.csv"),
    ]


def test_the_same_file_twice_posts_once(people):
    import_purchases(csv_file(*GOOD), file_name="shop.csv", user=officer())
    before = snapshot()
    again = import_purchases(csv_file(*GOOD), file_name="shop.csv", user=officer())
    assert (again.posted, again.already) == (0, 3)
    assert snapshot() == before


def test_a_dry_run_checks_and_posts_nothing(people):
    before = snapshot()
    result = import_purchases(csv_file(*GOOD), file_name="shop.csv", user=officer(), dry_run=True)
    assert (result.rows, result.posted, result.total) == (3, 0, D("24.10"))
    assert snapshot() == before


def test_one_bad_row_posts_nothing(people):
    ana, ben = people
    journals = Journal.objects.count()
    before = snapshot()
    with pytest.raises(PurchasesRefused) as refused:
        import_purchases(
            csv_file(*GOOD, f"{DAY},W-NOBODY,1.00,Tea,SHOP-4"), file_name="s.csv", user=officer()
        )
    assert refused.value.problems == ["Line 5: Unknown worker “W-NOBODY”."]
    assert Journal.objects.count() == journals
    assert (own_balance(ana), own_balance(ben)) == (D("20.00"), D("5.00"))
    assert snapshot() == before


def test_every_bad_row_is_reported_by_line_and_reason(people):
    tomorrow = TODAY.toordinal() + 1
    future = type(TODAY).fromordinal(tomorrow).isoformat()
    data = csv_file(
        f"{DAY},W-ANA001,1.00,Soap,SHOP-1",
        f"{DAY},W-ANA001,abc,Soap,SHOP-2",
        f"{DAY},W-ANA001,1.005,Soap,SHOP-3",
        f"{future},W-ANA001,1.00,Soap,SHOP-4",
        f"{DAY},W-ANA001,2.00,Soap,SHOP-1",
        "07/12/2026,W-ANA001,1.00,Soap,SHOP-6",
        f"{DAY},W-ANA001,-1.00,Soap,SHOP-7",
        f"{DAY},W-ANA001,1.00,=cmd(),SHOP-8",
        f"{DAY},W-ANA001,1.00,,",
    )
    before = snapshot()
    with pytest.raises(PurchasesRefused) as refused:
        import_purchases(data, file_name="bad.csv", user=officer())
    assert refused.value.problems == [
        "Line 3: Amount “abc” is not a number.",
        "Line 4: Amount 1.005 has more decimals than EUR has.",
        f"Line 5: {future} is still to come.",
        "Line 6: Reference SHOP-1 is given twice (first on line 2).",
        "Line 7: Date “07/12/2026” is not a date as YYYY-MM-DD.",
        "Line 8: Amount -1.00 is not more than zero.",
        "Line 9: “=cmd()” would run as a spreadsheet formula; if it is text, start it with an "
        "apostrophe (').",
        "Line 10: The description is missing.",
        "Line 10: The reference is missing.",
    ]
    assert snapshot() == before


def test_a_workers_rows_over_their_balance_in_total_are_refused(people):
    data = csv_file(
        f"{DAY},W-ANA001,12.50,Soap,SHOP-1",
        f"{DAY},W-BEN002,1.00,Tea,SHOP-2",
        f"{DAY},W-ANA001,8.00,Stamps,SHOP-3",
    )
    before = snapshot()
    with pytest.raises(PurchasesRefused) as refused:
        import_purchases(data, file_name="s.csv", user=officer())
    assert refused.value.problems == [
        "Line 2: The purchases of W-ANA001 on lines 2, 4 come to 20.50 EUR, more than the 20.00 "
        "EUR own spending balance."
    ]
    assert snapshot() == before


def test_a_reference_recorded_before_with_other_values_is_refused(people):
    import_purchases(csv_file(GOOD[0]), file_name="a.csv", user=officer())
    before = snapshot()
    with pytest.raises(PurchasesRefused) as refused:
        import_purchases(
            csv_file(f"{DAY},W-ANA001,2.00,Soap,SHOP-1"), file_name="b.csv", user=officer()
        )
    assert refused.value.problems == [
        "Line 2: Reference SHOP-1 was recorded before with another worker, amount or day."
    ]
    assert snapshot() == before


def test_a_file_with_another_header_is_refused(people):
    with pytest.raises(PurchasesRefused) as refused:
        import_purchases(b"day,who,amount\n", file_name="x.csv", user=officer())
    assert refused.value.problems == [
        "The header must be exactly: date,worker,amount,description,reference "
        "(found: day,who,amount)."
    ]


def test_an_xlsx_file_reads_as_the_csv_does(people):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["date", "worker", "amount", "description", "reference"])
    sheet.append([YESTERDAY, "W-ANA001", 12.5, "Soap", "SHOP-1"])
    sheet.append([DAY, "W-BEN002", "4.10", "Tea", 2002])
    out = io.BytesIO()
    workbook.save(out)
    result = import_purchases(out.getvalue(), file_name="shop.xlsx", user=officer())
    assert (result.posted, result.total) == (2, D("16.60"))
    assert sorted(Purchase.objects.values_list("key", "amount")) == [
        ("2002", D("4.10")),
        ("SHOP-1", D("12.50")),
    ]


def test_the_command_imports_and_exits_non_zero_on_refusal(people, tmp_path: Path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(csv_file(*GOOD))
    bad.write_bytes(csv_file(f"{DAY},W-NOBODY,1.00,Tea,SHOP-9"))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_purchases", str(good), "--dry-run", stdout=out)
    assert out.getvalue() == (
        "3 row(s) checked: 3 purchase(s) of 24.10 would be posted, 0 recorded before "
        "(dry run, nothing posted).\n"
    )
    assert Purchase.objects.count() == 0
    call_command("import_purchases", str(good), stdout=out)
    assert Purchase.objects.count() == 3
    before = snapshot()
    with pytest.raises(CommandError, match=r"bad\.csv was refused: 1 problem"):
        call_command("import_purchases", str(bad), stderr=err)
    assert err.getvalue() == "Line 2: Unknown worker “W-NOBODY”.\n"
    assert snapshot() == before
