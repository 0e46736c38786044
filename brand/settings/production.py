"""Production: everything from the environment, nothing guessed. ``check --deploy`` is clean.

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (PostgreSQL). Recommended: REDIS_URL,
TASKS_BACKEND=database (then run ``python manage.py db_worker``), EMAIL_*, STRIPE_*.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, SILENCED_SYSTEM_CHECKS, STORAGES
from .env import env_bool, env_int

if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to at least 50 random characters in production."
    )

DEBUG = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Framing stays "SAMEORIGIN" (base.py): Wagtail previews pages in a same-origin frame. Other sites
# cannot frame us (CSP frame-ancestors 'self' as well).
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W019"]
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
