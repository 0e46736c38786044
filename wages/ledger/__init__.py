"""The one way money moves: ``post_journal``; and the checks that prove the ledger intact.

    post_journal(*, key, on, lines, memo, chain, user=None, reverses=None) -> Journal
        lines: [(account, amount), ...]; amount a Money, or a Decimal in the account's currency;
        positive debits, negative credits. Balanced per currency, idempotent on ``key`` (the same
        key with other lines raises ``JournalKeyReused``), refused into a closed chain or a closed
        period, amounts of more decimals than the currency has refused (never rounded silently).
    post_journals(postings, *, chain, user=None, progress=None) -> int    many at once (a pay
        run's journals), the same rules journal by journal, set-based writes; returns how many
        were new; ``progress(done)`` after each batch
    reverse_journal(journal, *, key, on, memo, chain, user=None) -> Journal   at most once each
    open_chain(name) -> Chain;  close_chain(chain) -> Checkpoint
    close_period(up_to, *, user) -> PeriodClose            a past day, later than the last
    trial_balance(on) -> TrialBalance
    verify_ledger(progress=None, *, anchors=None) -> list[str]   every finding; empty when intact
    record_verification(*, user, progress=None) -> LedgerVerification   kept for the auditors
    export_anchors() -> dict              the checkpoint heads an auditor keeps outside the database

Hashes are SHA-256 over canonical JSON (``core.signing.canonical_bytes``): a journal's covers its
key, date, memo, chain, number, the previous hash, what it reverses and its entries (account code,
currency, amount); a checkpoint's covers its number, chain, length, the chain's head and the
previous checkpoint's hash, and is signed with the ledger key. The exact forms, and how they are
versioned, are in ``wages.ledger.hashing``; the checks in ``wages.ledger.verification``.

The package, by what happens where: ``rules`` (what a journal must be), ``posting`` (one
journal), ``bulk_posting`` (many), ``balances``, ``chains`` (and their signed checkpoints),
``periods`` (closing one), ``trial_balances``, ``verification``, ``accounts`` (the accounts pay
runs post to), ``checks`` (system checks); the screens in ``views`` and ``admin``. Inside
``wages``, import from those modules, not from this package: ``wages.payruns`` and
``wages.ledger.verification`` import each other's modules.
"""

from wages.ledger.bulk_posting import Posting, post_journals
from wages.ledger.chains import CHECKPOINT_LOCK, close_chain, open_chain
from wages.ledger.hashing import checkpoint_hash, journal_hash
from wages.ledger.periods import close_period
from wages.ledger.posting import post_journal, reverse_journal
from wages.ledger.rules import JournalKeyReused
from wages.ledger.trial_balances import TrialBalance, TrialBalanceRow, trial_balance
from wages.ledger.verification import export_anchors, record_verification, verify_ledger

__all__ = [
    "CHECKPOINT_LOCK",
    "JournalKeyReused",
    "Posting",
    "TrialBalance",
    "TrialBalanceRow",
    "checkpoint_hash",
    "close_chain",
    "close_period",
    "export_anchors",
    "journal_hash",
    "open_chain",
    "post_journal",
    "post_journals",
    "record_verification",
    "reverse_journal",
    "trial_balance",
    "verify_ledger",
]
