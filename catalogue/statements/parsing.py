"""Reading an uploaded bank statement: its format is told from its **content**, never its name
(an XML document is camt.053, text with MT940's ``:20:`` and ``:25:`` tags is MT940), and
anything else is refused, with what the file was found to be."""

from django.utils.translation import gettext as _

from catalogue.statements.camt import looks_like_xml, parse_camt053
from catalogue.statements.mt940 import looks_like_mt940, parse_mt940
from catalogue.statements.parsed import ParsedStatement, StatementRefused, checked

MAX_BYTES = 10 * 1024 * 1024


def parse_statement(data: bytes) -> ParsedStatement:
    """``data`` read as a camt.053 or MT940 statement and checked, or ``StatementRefused``."""
    if not data.strip():
        raise StatementRefused(_("The file is empty: choose the statement file the bank sent."))
    if len(data) > MAX_BYTES:
        raise StatementRefused(
            _("The file is larger than %(mb)s MB: a bank statement is much smaller.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    if looks_like_xml(data):
        return checked(parse_camt053(data))
    text = _text(data)
    if text is not None and looks_like_mt940(text):
        return checked(parse_mt940(text))
    raise StatementRefused(
        _(
            "This file is neither an ISO 20022 camt.053 statement (XML) nor an MT940 statement: "
            "download the statement from the bank in one of these two formats."
        )
    )


def _text(data: bytes) -> str | None:
    """MT940 is SWIFT's character set, a subset of ASCII; banks also send Latin-1."""
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")
