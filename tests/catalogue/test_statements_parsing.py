"""Reading bank statements: the two sample files as the bank sends them, and every file that is
refused, with its reason (``catalogue.statements.parsing``)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import override_settings

from catalogue.statements.parsed import StatementRefused, candidate_references
from catalogue.statements.parsing import parse_statement
from tests.catalogue.statement_builders import sample

D = datetime.date


def refusal(data: bytes) -> str:
    with pytest.raises(StatementRefused) as refused:
        parse_statement(data)
    return " ".join(refused.value.messages)


def test_a_camt053_statement_is_read_whole():
    statement = parse_statement(sample("camt053_2026-05-04.xml"))
    assert (statement.format, statement.statement_id, statement.iban, statement.currency) == (
        "camt.053",
        "2026050400124",
        "NL91INGB0002445588",
        "EUR",
    )
    assert (statement.from_date, statement.to_date) == (D(2026, 5, 4), D(2026, 5, 4))
    assert (statement.opening_balance, statement.closing_balance) == (
        Decimal("1000.00"),
        Decimal("1253.30"),
    )
    assert [
        (line.amount, line.credit, line.bank_reference, line.reference, line.counterparty_name)
        for line in statement.lines
    ] == [
        (Decimal("60.50"), True, "2026050412000101", "RF78BW20260001", "Camille Martin"),
        (Decimal("40.00"), True, "2026050412000102", "", "Atelier Dumas SARL"),
        (Decimal("70.50"), True, "2026050412000103", "RF24BW20260003", "Mairie de Lens"),
        (Decimal("60.50"), True, "2026050412000104", "", "Camille Martin"),
        (Decimal("25.00"), True, "2026050412000105", "", "Lucie Bernard"),
        (Decimal("3.20"), False, "2026050412000106", "", ""),
    ]
    assert statement.lines[1].remittance == "first part, order rf51 bw20 2600 02"
    assert statement.lines[0].counterparty_iban == "FR1420041010050500013M02606"
    assert statement.lines[5].remittance == "Account fees April 2026"


def test_an_mt940_statement_is_read_whole():
    statement = parse_statement(sample("mt940_2026-05-05.sta"))
    assert (statement.format, statement.statement_id, statement.iban, statement.currency) == (
        "mt940",
        "P260505000000001/00125",
        "NL91INGB0002445588",
        "EUR",
    )
    assert (statement.opening_balance, statement.closing_balance) == (
        Decimal("1253.30"),
        Decimal("1185.80"),
    )
    assert [
        (
            line.booking_date,
            line.amount,
            line.credit,
            line.bank_reference,
            line.reference,
            line.counterparty_name,
            line.counterparty_iban,
            line.remittance,
        )
        for line in statement.lines
    ] == [
        (
            D(2026, 5, 5), Decimal("20.50"), True, "05051200113345", "RF51BW20260002",
            "Atelier Dumas SARL", "FR7630006000011234567890189", "RF51BW20260002",
        ),
        (
            D(2026, 5, 5), Decimal("12.00"), True, "05051200113346", "",
            "J. Weber", "DE89370400440532013000", "Gift voucher, no order number",
        ),
        (
            D(2026, 5, 5), Decimal("100.00"), False, "05051200113347", "",
            "Packaging Supplies BV", "NL20INGB0001234567", "Boxes, invoice 88213",
        ),
    ]  # fmt: skip


def test_a_reference_is_found_in_free_text_whatever_its_spaces_and_case():
    assert candidate_references("first part, order rf51 bw20 2600 02") == ["RF51BW20260002"]
    assert candidate_references("RF94BW20260004") == ["RF94BW20260004"]
    assert candidate_references("RF00 nothing here") == []


def test_the_format_is_told_by_the_content_not_the_name():
    assert refusal(b"date,amount\n2026-05-04,60.50\n").startswith(
        "This file is neither an ISO 20022 camt.053 statement (XML) nor an MT940 statement"
    )
    assert refusal(b"%PDF-1.7 binary\x00\x01").startswith("This file is neither")


def test_an_empty_file_is_refused():
    assert refusal(b"") == "The file is empty: choose the statement file the bank sent."
    assert refusal(b"  \r\n") == "The file is empty: choose the statement file the bank sent."


def test_a_truncated_camt_is_refused():
    data = sample("camt053_2026-05-04.xml")
    assert refusal(data[: len(data) // 2]).startswith("This XML file is damaged or cut short (")


def test_a_truncated_mt940_is_refused():
    data = sample("mt940_2026-05-05.sta")
    cut = data[: data.index(b":62F:")]
    assert refusal(cut) == (
        "This MT940 file lacks its closing balance (:62F:): it may be cut short. Download the "
        "statement again from the bank."
    )


def test_an_mt940_missing_an_entry_does_not_add_up():
    data = sample("mt940_2026-05-05.sta")
    start = data.index(b":61:2605050505C12,00")
    end = data.index(b":61:2605050505D100,00")
    assert refusal(data[:start] + data[end:]) == (
        "The statement does not add up: opening balance 1253.30 plus its entries (-79.50) is "
        "not its closing balance 1185.80. The file may be cut short: download it again from "
        "the bank."
    )


def test_a_structurally_invalid_camt_is_refused_by_the_schema():
    data = sample("camt053_2026-05-04.xml").replace(
        b"<CdtDbtInd>DBIT</CdtDbtInd>", b"<CdtDbtInd>MINUS</CdtDbtInd>"
    )
    message = refusal(data)
    assert message.startswith(
        "This camt.053 file does not follow the ISO 20022 schema camt.053.001.02 (line "
    )
    assert "MINUS" in message


def test_a_camt_without_its_statement_element_is_refused_by_the_schema():
    data = sample("camt053_2026-05-04.xml")
    start, end = data.index(b"<Stmt>"), data.index(b"</Stmt>") + len(b"</Stmt>")
    assert "does not follow the ISO 20022 schema" in refusal(data[:start] + data[end:])


def test_another_iso_message_is_refused():
    data = sample("camt053_2026-05-04.xml").replace(b"camt.053.001.02", b"camt.052.001.02")
    assert refusal(data).startswith("This is an ISO 20022 camt.052.001.02 message;")


@override_settings(BRIDGEWORK_CURRENCY="GBP")
def test_a_statement_in_another_currency_is_refused():
    expected = (
        "This statement is in EUR but the shop keeps its accounts in GBP: import the statement "
        "of the shop's GBP account."
    )
    assert refusal(sample("camt053_2026-05-04.xml")) == expected
    assert refusal(sample("mt940_2026-05-05.sta")) == expected


def test_a_statement_without_entries_is_refused():
    data = sample("mt940_2026-05-05.sta")
    start, end = data.index(b":61:"), data.index(b":62F:")
    data = data[:start] + data[end:].replace(b"1185,80", b"1253,30")
    assert refusal(data) == "This statement holds no booked entries: there is nothing to import."


def test_xml_entities_are_never_expanded():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&b;</Document>'
    )
    assert (
        refusal(bomb) == "This XML file declares a document type, which bank statements never do."
    )
    external = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'
    )
    assert refusal(external) == (
        "This XML file declares a document type, which bank statements never do."
    )


def version_08(data: bytes) -> bytes:
    """The sample as a bank on camt.053.001.08 writes it: status and debtor one level deeper,
    the bank's BIC as BICFI."""
    data = data.replace(b"camt.053.001.02", b"camt.053.001.08")
    data = data.replace(b"<Sts>BOOK</Sts>", b"<Sts><Cd>BOOK</Cd></Sts>")
    data = data.replace(b"BIC>", b"BICFI>")
    return re.sub(
        rb"<Dbtr>\s*<Nm>(.*?)</Nm>\s*</Dbtr>", rb"<Dbtr><Pty><Nm>\1</Nm></Pty></Dbtr>", data
    )


def test_a_camt053_of_version_08_is_read_like_version_02():
    earlier = parse_statement(sample("camt053_2026-05-04.xml"))
    later = parse_statement(version_08(sample("camt053_2026-05-04.xml")))
    assert later.lines == earlier.lines
    assert (later.iban, later.closing_balance) == (earlier.iban, earlier.closing_balance)


def test_a_version_08_file_written_as_version_02_fails_the_schema():
    data = version_08(sample("camt053_2026-05-04.xml")).replace(b"BICFI>", b"BIC>")
    assert refusal(data).startswith(
        "This camt.053 file does not follow the ISO 20022 schema camt.053.001.08 (line "
    )


def test_an_entry_batching_two_transfers_gives_a_line_for_each():
    data = sample("camt053_2026-05-04.xml")
    start = data.index(b"<Ntry>\n        <NtryRef>5</NtryRef>")
    end = data.index(b"</Ntry>", start) + len(b"</Ntry>")
    batch = (
        b"<Ntry><Amt Ccy='EUR'>25.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
        b"<BookgDt><Dt>2026-05-04</Dt></BookgDt><ValDt><Dt>2026-05-04</Dt></ValDt>"
        b"<AcctSvcrRef>B-77</AcctSvcrRef><BkTxCd/><NtryDtls>"
        b"<TxDtls><AmtDtls><TxAmt><Amt Ccy='EUR'>15.00</Amt></TxAmt></AmtDtls>"
        b"<RmtInf><Ustrd>RF67BW20260005</Ustrd></RmtInf></TxDtls>"
        b"<TxDtls><AmtDtls><TxAmt><Amt Ccy='EUR'>10.00</Amt></TxAmt></AmtDtls>"
        b"<RmtInf><Ustrd>no reference</Ustrd></RmtInf></TxDtls>"
        b"</NtryDtls></Ntry>"
    )
    statement = parse_statement(data[:start] + batch + data[end:])
    assert [(ln.bank_reference, ln.amount, ln.remittance) for ln in statement.lines[4:6]] == [
        ("B-77/1", Decimal("15.00"), "RF67BW20260005"),
        ("B-77/2", Decimal("10.00"), "no reference"),
    ]
