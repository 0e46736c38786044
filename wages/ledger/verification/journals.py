"""Verifying journals, chains and balances: every journal's hash and lines, every chain's head,
every account's balance against the sum of its entries."""

from collections import defaultdict
from decimal import Decimal

from wages.ledger.hashing import (
    FORMS,
    journal_hash,
)
from wages.ledger.verification.streams import (
    Stream,
    amount_problem,
    amount_text,
    exact_decimal,
    in_units,
    stream_rows,
)
from wages.models.ledger import AMOUNT_LIMIT

PROGRESS_EVERY = 10_000  # journals between two calls of ``progress``


JOURNALS = (
    'SELECT j.id, j.key, j."on", j.memo, j.chain_id, j.sequence, j.previous, j.hash, j.form, '
    "r.key FROM wages_journal j LEFT JOIN wages_journal r ON r.id = j.reverses_id "
    "ORDER BY j.chain_id, j.sequence, j.id"
)
ENTRIES = (
    "SELECT e.journal_id, e.account_id, a.code, a.currency, e.currency, e.amount "
    "FROM wages_entry e JOIN wages_journal j ON j.id = e.journal_id "
    "LEFT JOIN wages_account a ON a.id = e.account_id "
    "ORDER BY j.chain_id, j.sequence, j.id, e.id"
)
CHAINS = "SELECT id, name, length, head FROM wages_chain ORDER BY id"
ORPHAN_ENTRIES = (
    "SELECT e.journal_id FROM wages_entry e LEFT JOIN wages_journal j ON j.id = e.journal_id "
    "WHERE j.id IS NULL GROUP BY e.journal_id ORDER BY e.journal_id"
)


class _ChainWalk:
    """One chain's journals as they stream past: the number and hash of the last one seen."""

    def __init__(self, chain_id: int, row):
        self.chain_id = chain_id
        self.name = row[1] if row else None
        self.stored = (row[2], row[3]) if row else None
        self.sequence, self.hash, self.journals = 0, "", 0

    def finish(self) -> list[str]:
        if self.stored is None:
            return [f"chain #{self.chain_id}: missing, though {self.journals} journal(s) name it"]
        if self.stored != (self.sequence, self.hash):
            return [f"chain {self.name}: its head does not match its journals"]
        return []


def _empty_chains_before(chains: Stream, chain_id: int | None) -> list[str]:
    """Chains, up to ``chain_id`` (all when None), that no journal names: they must be empty."""
    problems = []
    for _pk, name, length, head in chains.take_while(
        lambda row: chain_id is None or row[0] < chain_id
    ):
        if (length, head) != (0, ""):
            problems.append(f"chain {name}: its head does not match its journals")
    return problems


def verify_journals(progress) -> list[str]:
    problems = []
    entries = Stream(stream_rows(ENTRIES))
    chains = Stream(stream_rows(CHAINS))
    walk: _ChainWalk | None = None
    for count, row in enumerate(stream_rows(JOURNALS), start=1):
        pk, key, on, memo, chain_id, sequence, previous, stored, form, reverses = row
        if progress and count % PROGRESS_EVERY == 0:
            progress(count)
        if walk is None or walk.chain_id != chain_id:
            if walk is not None:
                problems += walk.finish()
            problems += _empty_chains_before(chains, chain_id)
            here = chains.peek()
            walk = _ChainWalk(chain_id, chains.take() if here and here[0] == chain_id else None)
        lines, line_problems = _lines(key, pk, entries.take_while(lambda e, pk=pk: e[0] == pk))
        problems += line_problems
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for _code, currency, amount in lines:
            totals[currency] += amount
        if any(total != 0 for total in totals.values()) or len(lines) < 2:
            problems.append(f"journal {key}: does not balance")
        if sequence != walk.sequence + 1:
            problems.append(
                f"chain {walk.name or chain_id}: journal {walk.sequence + 1} is missing"
            )
        if previous != walk.hash:
            problems.append(f"journal {key}: does not follow the journal before it")
        if form not in FORMS:
            problems.append(f"journal {key}: hash form {form} is unknown")
        elif walk.name is not None:
            recomputed = journal_hash(
                key=key,
                on=on,
                memo=memo,
                chain=walk.name,
                sequence=sequence,
                previous=previous,
                reverses=reverses,
                entries=lines,
                form=form,
            )
            if recomputed != stored:
                problems.append(f"journal {key}: its content does not match its hash")
        walk.sequence, walk.hash = sequence, stored
        walk.journals += 1
    if walk is not None:
        problems += walk.finish()
    problems += _empty_chains_before(chains, None)
    for (journal_id,) in stream_rows(ORPHAN_ENTRIES):
        problems.append(f"entries of journal {journal_id}, which does not exist")
    return problems


def _lines(key: str, pk: int, rows) -> tuple[list, list[str]]:
    """A journal's entries as (account code, currency, amount), and what is wrong with them."""
    lines, problems = [], []
    for _journal, account_id, code, account_currency, currency, raw in rows:
        if code is None:
            problems.append(f"journal {key}: an entry's account {account_id} does not exist")
        elif currency != account_currency:
            problems.append(f"journal {pk}: an entry in {currency} on a {account_currency} account")
        amount = exact_decimal(raw)
        if amount is None:
            problems.append(f"journal {key}: an amount is not a number ({raw!r})")
            continue
        if problem := amount_problem(amount, currency):
            problems.append(f"journal {key}: {problem}")
            if abs(amount) >= AMOUNT_LIMIT:
                continue
        lines.append((code if code is not None else "", currency, amount))
    return lines, problems


# Balances

BALANCES = (
    "SELECT a.code, a.currency, a.balance, s.total FROM wages_account a LEFT JOIN "
    "(SELECT account_id, SUM(amount) AS total FROM wages_entry GROUP BY account_id) s "
    "ON s.account_id = a.id ORDER BY a.code, a.currency, a.id"
)


def verify_balances() -> list[str]:
    problems = []
    for code, currency, raw_balance, raw_total in stream_rows(BALANCES):
        balance = exact_decimal(raw_balance)
        if balance is None or abs(balance) >= AMOUNT_LIMIT:
            problems.append(
                f"account {code} ({currency}): its balance {raw_balance} is more than the "
                "ledger holds"
            )
            continue
        total = in_units(raw_total, currency)
        if in_units(balance, currency) != total:
            problems.append(
                f"account {code} ({currency}): balance {amount_text(balance, currency)}, "
                f"entries sum to {amount_text(total, currency)}"
            )
    return problems
