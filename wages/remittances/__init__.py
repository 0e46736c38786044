"""Family remittances (issue 22; Mandela Rule 103.2): finance officers send the family balances
of workers to the payees they named, as an ISO 20022 pain.001 file for the bank and a CSV.

By what happens where: ``payees`` (naming, consent, ending), ``files`` (the pain.001 and the CSV,
and the schema check), ``producing`` (a batch: checks, files, postings), ``rejecting`` (a
returned transfer); the screens in ``views``, ``batch_views`` and ``admin``.
"""

from wages.remittances.payees import payee_add, payee_end, payee_record_consent
from wages.remittances.producing import ready_to_send, remittance_batch_produce
from wages.remittances.rejecting import remittance_reject

__all__ = [
    "payee_add",
    "payee_end",
    "payee_record_consent",
    "ready_to_send",
    "remittance_batch_produce",
    "remittance_reject",
]
