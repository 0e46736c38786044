"""The local demo: DEBUG on, an SQLite file, e-mails printed to the console."""

import os
from pathlib import Path

os.environ.setdefault("DEBUG", "yes")
os.environ.setdefault("SECRET_KEY", "bridgework-local-demo-only-not-for-production")
# The demo's logins are printed for everyone; a second factor would only get in the way. The login
# page says that it is off, and ``check --deploy`` refuses it in production.
os.environ.setdefault("BRIDGEWORK_REQUIRE_2FA", "no")
# Certificates are signed with a demo key that ``seed_demo`` writes here when it is missing.
os.environ.setdefault(
    "BRIDGEWORK_SIGNING_KEYS_FILE",
    str(Path(__file__).resolve().parents[2] / "var" / "demo-signing-keys"),
)
# Checkpoints of the demo ledger are signed with a fixed demo key, public in this file: never use
# it in production (``check --deploy`` asks for BRIDGEWORK_LEDGER_KEYS of your own).
os.environ.setdefault(
    "BRIDGEWORK_LEDGER_KEYS", "demo-ledger-key QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8="
)

# Pages are rendered afresh on every request while templates and content are being worked on;
# BRIDGEWORK_PAGE_CACHE=yes tries the full-page cache locally.
os.environ.setdefault("BRIDGEWORK_PAGE_CACHE", "no")
# The demo's remittances are sent from a fictional account (a valid French test IBAN).
os.environ.setdefault("BRIDGEWORK_REMITTANCE_DEBTOR_NAME", "Bridgework demo administration")
os.environ.setdefault("BRIDGEWORK_REMITTANCE_DEBTOR_IBAN", "FR7630006000011234567890189")
os.environ.setdefault("BRIDGEWORK_REMITTANCE_DEBTOR_BIC", "AGRIFRPPXXX")

from .base import *  # noqa: F403
