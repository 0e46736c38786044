"""The demo's bank statement: a camt.053.001.02 file written from the demo's own orders, as the
bank would send it the day after, and imported by the demo's finance officer through
``catalogue.statements.importing.import_statement`` as the upload does. It pays the first order
awaiting payment exactly and the second in part (it stays awaiting payment, showing what
remains), and holds one credit without a reference (waiting for a manual match) and the bank's
fees (a debit).

The file is written once: a second run finds the demo statement and leaves it.
"""

import datetime
from decimal import Decimal
from xml.sax.saxutils import escape  # nosec B406: escapes text the demo writes; parses nothing

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from catalogue.models import BankStatement, Order, ShopSettings
from catalogue.statements.importing import import_statement

STATEMENT_ID = "DEMO-STATEMENT-1"
OPENING = Decimal("5000.00")


def _entry(n: int, amount: Decimal, credit: bool, day: str, party: str, remittance: str) -> str:
    indicator = "CRDT" if credit else "DBIT"
    details = ""
    if party:
        details = (
            f"<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>{escape(party)}</Nm></Dbtr></RltdPties>"
            f"<RmtInf><Ustrd>{escape(remittance)}</Ustrd></RmtInf></TxDtls></NtryDtls>"
        )
    extra = "" if party else f"<AddtlNtryInf>{escape(remittance)}</AddtlNtryInf>"
    return (
        f'<Ntry><NtryRef>{n}</NtryRef><Amt Ccy="{settings.BRIDGEWORK_CURRENCY}">{amount:f}</Amt>'
        f"<CdtDbtInd>{indicator}</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>{day}</Dt></BookgDt>"
        f"<ValDt><Dt>{day}</Dt></ValDt><AcctSvcrRef>DEMO{day.replace('-', '')}{n:04d}</AcctSvcrRef>"
        f"<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn>"
        f"</BkTxCd>{details}{extra}</Ntry>"
    )


def camt053(orders: list[Order], *, day: datetime.date, iban: str) -> bytes:
    """The statement of ``day``: ``orders[0]`` paid exactly, ``orders[1]`` half paid, a gift
    without reference, the bank's fees. Amounts keep the order's own decimals (three for the
    dinar: camt.053 amounts take up to five)."""
    currency = settings.BRIDGEWORK_CURRENCY
    exact, partial = orders
    half = (partial.total.amount / 2).quantize(Decimal("0.01"))
    entries = [
        (exact.total.amount, True, exact.name, f"Order {exact.payment_reference}"),
        (half, True, partial.organisation or partial.name, f"{partial.payment_reference} part 1"),
        (Decimal("18.00"), True, "A. Friend", "Gift for the bakery workshop"),
        (Decimal("4.90"), False, "", "Account fees"),
    ]
    closing = OPENING + sum(amount if credit else -amount for amount, credit, _, _ in entries)
    on = day.isoformat()
    body = "".join(
        _entry(n, amount, credit, on, party, text)
        for n, (amount, credit, party, text) in enumerate(entries, start=1)
    )

    def balance(code: str, amount: Decimal, when: datetime.date) -> str:
        return (
            f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
            f'<Amt Ccy="{currency}">{amount:f}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
            f"<Dt><Dt>{when.isoformat()}</Dt></Dt></Bal>"
        )

    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">'
        f"<BkToCstmrStmt><GrpHdr><MsgId>{STATEMENT_ID}</MsgId>"
        f"<CreDtTm>{on}T06:00:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>{STATEMENT_ID}</Id><CreDtTm>{on}T06:00:00</CreDtTm>"
        f"<FrToDt><FrDtTm>{on}T00:00:00</FrDtTm><ToDtTm>{on}T23:59:59</ToDtTm></FrToDt>"
        f"<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>{currency}</Ccy></Acct>"
        f"{balance('PRCD', OPENING, day - datetime.timedelta(days=1))}"
        f"{balance('CLBD', closing, day)}{body}</Stmt></BkToCstmrStmt></Document>"
    ).encode()


def seed_statements() -> BankStatement | None:
    """Import the demo's statement once; None when there are not two orders awaiting payment."""
    if (earlier := BankStatement.objects.filter(statement_id=STATEMENT_ID).first()) is not None:
        return earlier
    orders = list(
        Order.objects.filter(
            key__startswith="demo-order-",
            status=Order.Status.AWAITING_PAYMENT,
            payment_method="invoice",
        ).order_by("pk")[:2]
    )
    if len(orders) < 2:
        return None
    iban = "".join(ShopSettings.load().iban.split()) or "FR7630006000011234567890189"
    data = camt053(orders, day=timezone.localdate(), iban=iban)
    finance = get_user_model().objects.get(username="finance")
    return import_statement(data=data, file_name="demo-statement.xml", user=finance).statement
