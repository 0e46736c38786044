"""Settings shared by every mode. Everything a deployment changes comes from the environment.

The modes: ``dev`` (the default of manage.py: the seeded demo), ``test`` (pytest) and
``production`` (``python manage.py check --deploy`` is clean there). The environment variables
are listed in the README.
"""

import datetime
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .database import database
from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Ours, highest first: brand composes the rest (imports run one way, see DESIGN.md).
    "brand",
    "catalogue",
    "compliance",
    "wages",
    "workshops",
    "core",
    # Wagtail; wagtail-localize translates pages and snippets (see README, "Languages")
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "djmoney",
    "django_countries",
    "phonenumber_field",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_ratelimit",
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "brand.locale.LocaleMiddleware",
    # Whole pages for anonymous visitors (core.page_cache): after the language is chosen, before
    # everything only a cold render needs.
    "core.page_cache.PageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "brand.sessions.StaffSessionMiddleware",
    "brand.twofactor.middleware.SecondFactorMiddleware",
    "brand.admin_access.TranslatorsOnlyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "core.security_log.AuthorisationFailureLogMiddleware",
    "brand.csp.BridgeworkCSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lock-out into its page
]

ROOT_URLCONF = "brand.urls"
WSGI_APPLICATION = "brand.wsgi.application"
ASGI_APPLICATION = "brand.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "brand.context_processors.two_factor",
            ],
        },
    },
]

# Database: an SQLite file by default (the demo), PostgreSQL in production (settings/database.py).
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": database(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 0))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: the deployment's three (the demo country's: English, French, Arabic — Arabic is
# right-to-left). The first is the default.
LANGUAGE_NAMES = {
    "en": _("English"),
    "fr": _("French"),
    "ar": _("Arabic"),
    "es": _("Spanish"),
    "ru": _("Russian"),
    "kk": _("Kazakh"),
    "pt": _("Portuguese"),
}
LANGUAGES = [
    (code, LANGUAGE_NAMES.get(code, code)) for code in env_list("BRIDGEWORK_LANGUAGES", "en,fr,ar")
]
LANGUAGE_CODE = LANGUAGES[0][0]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
WAGTAILADMIN_PERMITTED_LANGUAGES = (
    LANGUAGES  # staff choose the back office's language in their account
)
# How each language writes numbers, money and dates (Babel locales; core.formatting), e.g.
# BRIDGEWORK_FORMAT_LOCALES=ar=ar_MA,fr=fr_FR. A language not listed formats as itself.
FORMAT_LOCALES = dict(
    item.split("=", 1) for item in env_list("BRIDGEWORK_FORMAT_LOCALES") if "=" in item
)
# Dates on screens: one format per language, the same in our templates (core.formatting) and in
# Wagtail's listings (Django's DATE_FORMAT, from these modules).
FORMAT_MODULE_PATH = ["core.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "UTC")

# Money: the brand's currency. Rounding is one rule, in core.money.
BRIDGEWORK_CURRENCY = env_str("BRIDGEWORK_CURRENCY", "EUR")
CURRENCIES = (BRIDGEWORK_CURRENCY,)
DEFAULT_CURRENCY = BRIDGEWORK_CURRENCY
# Family remittances (wages.remittances) are sent from the administration's bank account: its
# holder's name, IBAN and BIC as the bank knows them. Empty: producing a remittance file is refused.
BRIDGEWORK_REMITTANCE_DEBTOR_NAME = env_str("BRIDGEWORK_REMITTANCE_DEBTOR_NAME", "")
BRIDGEWORK_REMITTANCE_DEBTOR_IBAN = env_str("BRIDGEWORK_REMITTANCE_DEBTOR_IBAN", "")
BRIDGEWORK_REMITTANCE_DEBTOR_BIC = env_str("BRIDGEWORK_REMITTANCE_DEBTOR_BIC", "")
# Partner labour invoices (wages.invoices): days to pay, and who issues them (the PDF's sender).
BRIDGEWORK_LABOUR_INVOICE_TERMS_DAYS = env_int("BRIDGEWORK_LABOUR_INVOICE_TERMS_DAYS", 30)
BRIDGEWORK_LABOUR_INVOICE_ISSUER = env_str(
    "BRIDGEWORK_LABOUR_INVOICE_ISSUER", "National Prison Service, prison work programme"
)
# Checkpoints are signed with the ledger key (BRIDGEWORK_LEDGER_KEYS, read by core.signing). A
# ledger that had checkpoints before signing began names its last unsigned one here; every later
# checkpoint must be signed (wages.ledger.verification).
BRIDGEWORK_LEDGER_UNSIGNED_UP_TO = env_int("BRIDGEWORK_LEDGER_UNSIGNED_UP_TO", 0)

# Static and media
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# E-mail
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "shop@bridgework.example")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Stripe (hosted Checkout). Empty keys mean card payment is off and "pay on invoice" is the only way.
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = env_str("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET", "")

# Certificates are verified at a neutral address (the national vocational authority's in production).
CERTIFICATE_VERIFY_BASE_URL = env_str("CERTIFICATE_VERIFY_BASE_URL", "http://127.0.0.1:8000")
# Verification requests per visitor's address (django-ratelimit, in the cache; behind a proxy set
# RATELIMIT_IP_META_KEY to the header that carries only the client's address, e.g. HTTP_X_REAL_IP).
CERTIFICATE_VERIFY_RATE = env_str("CERTIFICATE_VERIFY_RATE", "30/m")
RATELIMIT_IP_META_KEY = env_str("RATELIMIT_IP_META_KEY", "REMOTE_ADDR")
# Without REDIS_URL the counts live in each process's local-memory cache: right for the one-process
# demo; a production server with several workers sets REDIS_URL so they share the counts.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Background work: django-tasks. Immediate by default; TASKS_BACKEND=database uses django-tasks-db,
# whose ``python manage.py db_worker`` runs the queue.
TASKS_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "dummy": "django_tasks.backends.dummy.DummyBackend",
}
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[env_str("TASKS_BACKEND", "immediate")]}}
# Payslips are made by a job started when a pay run's posting commits (wages.payslips.tasks);
# off, they wait for *Generate payslips* or ``manage.py payslips`` (the payroll benchmark).
BRIDGEWORK_PAYSLIPS_AFTER_POSTING = True

# Cache: local memory unless REDIS_URL is set. Whole public pages and the site's chrome live in
# "pages" (core.page_cache), which every process must share for an invalidation to reach them all:
# Redis when REDIS_URL is set, otherwise files, shared by the processes of one machine.
REDIS_URL = env_str("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    "pages": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pages",
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str(
                "BRIDGEWORK_PAGE_CACHE_DIR", str(BASE_DIR / "var" / "cache" / "pages")
            ),
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    ),
}
# The full-page cache for anonymous visitors (core.page_cache; README, "Performance and the page
# cache").
BRIDGEWORK_PAGE_CACHE = env_bool("BRIDGEWORK_PAGE_CACHE", True)
BRIDGEWORK_PAGE_CACHE_SECONDS = env_int("BRIDGEWORK_PAGE_CACHE_SECONDS", 300)
# Cookies that change nothing on a page (a page with a CSRF token is never cached, and the
# language is part of the key); any other cookie, the session's first, means "served cold".
BRIDGEWORK_PAGE_CACHE_COOKIES = ["csrftoken", "django_language"]
# Addresses never looked up, whatever their answer says (regular expressions matched from the
# start of the path): what belongs to staff or to one visitor, at any depth for the shop's.
BRIDGEWORK_PAGE_CACHE_EXCLUDE = [
    r"/(admin|documents|files|verify|stripe)/",
    r"/([^/]+/)*(cart|basket|checkout|orders?|account)/",
]

# Wagtail
# The page type a product page may link to as the story of its makers (catalogue imports no brand).
BRIDGEWORK_STORY_PAGE_TYPE = "brand.StoryPage"
WAGTAIL_SITE_NAME = env_str("BRIDGEWORK_BRAND_NAME", "Bridgework")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "avif"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no staff e-mail hashes sent to a third party
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_PASSWORD_RESET_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True

LOGIN_URL = "wagtailadmin_login"

# Security (README, "Security"). The yardstick is OWASP ASVS 5.0 level 2.
# Two-factor sign-in for staff (brand.twofactor). The local demo may switch it off; the login page
# then says so and ``check --deploy`` fails (brand.checks).
BRIDGEWORK_REQUIRE_2FA = env_bool("BRIDGEWORK_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME
OTP_TOTP_THROTTLE_FACTOR = 1  # 1 s, 2 s, 4 s… after each wrong code
# Login throttling (django-axes): five failures for one username from one address lock it out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "brand.lockout.locked_out"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
# Sessions (brand.sessions): a new key at login (Django), an idle timeout for the back office that
# the editor's background pings do not reset, an absolute lifetime, ended when a user is deactivated.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
BRIDGEWORK_ADMIN_IDLE_MINUTES = env_int("BRIDGEWORK_ADMIN_IDLE_MINUTES", 30)
BRIDGEWORK_SESSION_MAX_HOURS = env_int("BRIDGEWORK_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = BRIDGEWORK_SESSION_MAX_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Headers. The back office previews pages in a same-origin frame, so framing is "self" only.
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content Security Policy (django-csp 4). No nonces: public pages are cached whole for anonymous
# visitors (core.page_cache), and a nonce in a cached page would be replayed. Public pages
# allow only our own scripts and styles; the back office (brand.csp) adds what Wagtail's admin
# needs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Uploads: requests and files in memory are capped; files are checked by content (core.uploads).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
PRIVATE_FILE_MAX_BYTES = env_int("PRIVATE_FILE_MAX_BYTES", 20 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "bridgework.security": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}
