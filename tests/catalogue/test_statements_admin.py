"""Bank statements in the back office (``catalogue.statements.admin_views``): the upload, a
statement's page with its lines, matches and totals, and the manual match, each refusal shown in
words with nothing changed."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalogue.models import BankStatement, Order, StatementLine
from tests.brand.builders import build_home
from tests.catalogue.order_builders import staff
from tests.catalogue.order_screens import shown, signed_in, table
from tests.catalogue.statement_builders import build_statement_orders, sample
from wages.models import Journal

pytestmark = pytest.mark.django_db

STATEMENTS = "/admin/catalogue/bankstatement/"
UPLOAD = f"{STATEMENTS}import/"
FINANCE = (
    "wagtailadmin.access_admin",
    "catalogue.view_order",
    "catalogue.view_bankstatement",
    "catalogue.import_bankstatement",
    "catalogue.match_statementline",
)


@pytest.fixture(autouse=True)
def home():
    return build_home()


@pytest.fixture
def orders():
    return build_statement_orders()


@pytest.fixture
def finance(client):
    return signed_in(client, staff("finance", *FINANCE))


def upload(client, name, data=None):
    data = sample(name) if data is None else data
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data)}, follow=True)


def totals(html: str) -> list[tuple[str, str]]:
    block = html.split('id="statement-totals"', 1)[1].split("</dl>", 1)[0]
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block)
    return [(term, re.sub(r"<[^>]+>", "", value).replace("\xa0", "")) for term, value in pairs]


def counts():
    return BankStatement.objects.count(), StatementLine.objects.count(), Journal.objects.count()


def test_an_uploaded_statement_is_imported_and_its_page_shows_every_line(client, orders, finance):
    response = upload(client, "camt053_2026-05-04.xml")
    assert shown(response) == [
        "Statement 2026050400124 imported: 6 line(s), 4 matched, 1 waiting for a match."
    ]
    rows = table(response.text, "statement-lines")
    assert [row[0] for row in rows] == ["1", "2", "3", "4", "5", "6"]
    assert [row[5].split()[0] for row in rows] == [
        "Matched",
        "Partial",
        "Overpayment",
        "Duplicate",
        "Unmatched",
        "Debit",
    ]
    assert "still to pay" in rows[1][5] and "20.50" in rows[1][5]
    assert "owed back to the payer" in rows[2][5] and "10.00" in rows[2][5]
    assert response.text.count('name="line-') == 1  # one form: the unmatched credit's
    # in 60.50 + 40.00 + 70.50 + 60.50 + 25.00 = 256.50; toward orders 60.50 + 40.00 + 60.50
    # = 161.00; owed back 10.00 + 60.50 = 70.50; waiting 25.00; out 3.20
    assert totals(response.text) == [
        ("Money in", "€256.50"),
        ("Money out", "€3.20"),
        ("Paid toward orders", "€161.00"),
        ("Owed back to payers", "€70.50"),
        ("Waiting for a match", "€25.00"),
    ]


def test_the_same_file_uploaded_again_says_so_and_changes_nothing(client, orders, finance):
    upload(client, "camt053_2026-05-04.xml")
    before = counts()
    response = upload(client, "renamed.xml", sample("camt053_2026-05-04.xml"))
    assert shown(response)[0].startswith("This file was already imported on ")
    assert shown(response)[0].endswith("as statement 2026050400124: nothing changed.")
    assert counts() == before


def test_a_refused_file_is_shown_on_the_form_and_changes_nothing(client, orders, finance):
    before = counts()
    response = upload(client, "statement.xml", b"date,amount\n2026-05-04,60.50\n")
    assert response.status_code == 400
    assert "This file is neither an ISO 20022 camt.053 statement" in response.text
    assert counts() == before


def test_an_unmatched_line_is_matched_by_hand_from_the_statement_page(client, orders, finance):
    upload(client, "camt053_2026-05-04.xml")
    line = StatementLine.objects.get(position=5)
    url = f"{STATEMENTS}{line.statement_id}/lines/{line.pk}/match/"
    response = client.post(url, {f"line-{line.pk}-order_number": "bw-2026-0005"}, follow=True)
    assert shown(response) == ["Line 5 matched to order BW-2026-0005: partial payment."]
    line.refresh_from_db()
    assert (line.state, line.order.number) == ("partial", "BW-2026-0005")


def test_a_refused_manual_match_is_a_message_and_changes_nothing(client, orders, finance):
    upload(client, "camt053_2026-05-04.xml")
    line = StatementLine.objects.get(position=5)
    url = f"{STATEMENTS}{line.statement_id}/lines/{line.pk}/match/"
    before = counts()
    response = client.post(url, {f"line-{line.pk}-order_number": "BW-1999-0001"}, follow=True)
    assert shown(response) == [
        "No order is numbered BW-1999-0001: check the number on the transfer or invoice."
    ]
    assert counts() == before
    assert Order.objects.get(number="BW-2026-0005").status == "awaiting_payment"
