"""Fast settings for pytest: MD5 hashing, local-memory cache and e-mail, immediate tasks,
temporary media, no full-page cache. DATABASE_URL still chooses the database (SQLite in memory
unless it names PostgreSQL)."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "bridgework-tests")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
os.environ.setdefault("TASKS_BACKEND", "immediate")
os.environ.pop("REDIS_URL", None)
# A fixed certificate signing key for tests (never a production key: it is public here).
os.environ.setdefault(
    "BRIDGEWORK_SIGNING_KEYS", "test-key AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
)
# A fixed ledger key that signs checkpoints in tests (public here too: never a production key).
os.environ.setdefault(
    "BRIDGEWORK_LEDGER_KEYS", "test-ledger-key ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="
)
# The account remittances are sent from (a fictional, valid French test IBAN).
os.environ.setdefault("BRIDGEWORK_REMITTANCE_DEBTOR_NAME", "Bridgework test administration")
os.environ.setdefault("BRIDGEWORK_REMITTANCE_DEBTOR_IBAN", "FR7630006000011234567890189")
os.environ.setdefault("BRIDGEWORK_REMITTANCE_DEBTOR_BIC", "AGRIFRPPXXX")

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
# Off, so that no test sees a page or menu another test cached; tests/core/test_page_cache.py and
# tests/brand/test_page_cache_*.py switch it on.
BRIDGEWORK_PAGE_CACHE = False
# Posting a pay run does not print its payslips unless a test asks for it (tests/wages/
# test_payslips_generation.py, the browser journey): a test that commits a posting (PostgreSQL's
# races) would otherwise render every worker's slip.
BRIDGEWORK_PAYSLIPS_AFTER_POSTING = False
MEDIA_ROOT = tempfile.mkdtemp(prefix="bridgework-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="bridgework-test-static-")
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="bridgework-test-private-")
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
ALLOWED_HOSTS = ["*"]
# Tests share one cache: verification's rate limit is tested on its own, with a low rate.
CERTIFICATE_VERIFY_RATE = "100000/m"
# Tests empty the database between transactional tests with TRUNCATE, which the ledger's tables
# refuse unless their owner says so for the session (wages migration 0007).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["OPTIONS"]["options"] += (  # noqa: F405
        " -c bridgework.allow_ledger_truncate=yes"
    )
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
