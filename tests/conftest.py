"""Shared fixtures, and the rules of the test run.

- Tests marked ``postgres`` run only when DATABASE_URL points at PostgreSQL; otherwise they are
  deselected and the run says so in its summary.
- Browser tests skip with a visible reason where Chromium is missing; CI sets
  BRIDGEWORK_REQUIRE_TOOLS=1, which turns that skip into a failure.
- Under pytest-xdist (``python3 dev.py test`` runs one worker per core) each worker has its own
  test database: in memory on SQLite, ``test_<name>_gw0``, ``_gw1``… on PostgreSQL.
- ``signing_key`` signs certificates with a known test key (``BRIDGEWORK_SIGNING_KEYS``).
- ``demo_database`` gives a test the seeded demo country, seeded once per session and worker
  (``tests/demo_database.py``).
- A transactional test empties the database when it ends (``flush``), Wagtail's locales and root
  page with it; they are made again at once (``post_migrate``, which ``flush`` sends), so the
  next test on that worker finds the database as migrated, whatever order the tests run in.
"""

import base64
import os

import pytest
from django.conf import settings
from django.utils import translation

from core import signing
from core.testing.browser import launch_chromium
from tests.demo_database import DatabaseCopy, SeededDemo, copies_in_memory, seed_demo

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls while one
# runs unless told that this is deliberate. The tests hold no async code of their own.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

_deselected_postgres = []
_deselected_by_workers = {"postgres": 0}  # under pytest-xdist the workers collect, not this process


def on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_collection_modifyitems(config, items):
    if on_postgres():
        return
    keep = []
    for item in items:
        (_deselected_postgres if item.get_closest_marker("postgres") else keep).append(item)
    if _deselected_postgres:
        config.hook.pytest_deselected(items=_deselected_postgres)
        items[:] = keep


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"bridgework: database {engine}; BRIDGEWORK_REQUIRE_TOOLS={os.environ.get('BRIDGEWORK_REQUIRE_TOOLS', '')!r}"


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["deselected_postgres"] = len(_deselected_postgres)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """A pytest-xdist worker finished: how many PostgreSQL tests it deselected (each collects all)."""
    reported = getattr(node, "workeroutput", {}).get("deselected_postgres", 0)
    _deselected_by_workers["postgres"] = max(_deselected_by_workers["postgres"], reported)


def pytest_terminal_summary(terminalreporter):
    deselected = len(_deselected_postgres) or _deselected_by_workers["postgres"]
    if deselected:
        terminalreporter.write_line(
            f"bridgework: {deselected} PostgreSQL test(s) deselected because "
            "DATABASE_URL does not point at PostgreSQL "
            "(set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run them).",
            yellow=True,
        )


@pytest.fixture(scope="session")
def django_db_modify_db_settings_xdist_suffix(request):
    """Each pytest-xdist worker's own test database. pytest-django leaves an in-memory SQLite
    database alone only under Django's own engine name; under ``core.sqlite`` it would name it
    ``test_:memory:_gw0``, a file on disk, which ``demo_database`` cannot copy (every test that
    asks for the demo would seed it again). A worker is a process of its own, so its in-memory
    database is already its own: only the other databases take the worker's suffix."""
    from pytest_django.fixtures import _set_suffix_to_test_databases

    worker = getattr(request.config, "workerinput", {}).get("workerid")
    database = settings.DATABASES["default"]
    in_memory = database["ENGINE"] == "core.sqlite" and database["NAME"] in ("", ":memory:")
    if worker and not in_memory:
        _set_suffix_to_test_databases(suffix=worker)


_migrated = pytest.StashKey[DatabaseCopy | None]()


def _wagtail_roots_again(sender, **kwargs):
    from brand.demo.seed import ensure_wagtail_roots

    ensure_wagtail_roots()


@pytest.fixture(scope="session", autouse=True)
def wagtail_roots_after_every_flush():
    from django.apps import apps
    from django.db.models.signals import post_migrate

    wagtail = apps.get_app_config("wagtailcore")
    post_migrate.connect(_wagtail_roots_again, sender=wagtail, dispatch_uid="bridgework-roots")
    yield
    post_migrate.disconnect(sender=wagtail, dispatch_uid="bridgework-roots")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """The test database, migrated; on SQLite a copy of it as migrated is kept, for the demo to
    be seeded on (``tests/demo_database.py``)."""
    with django_db_blocker.unblock():
        request.config.stash[_migrated] = DatabaseCopy() if copies_in_memory() else None


@pytest.fixture(scope="session")
def seeded_demo_copy(request, django_db_setup, django_db_blocker):
    """The demo seeded once in this session (on SQLite), to be copied into each test that asks."""
    with django_db_blocker.unblock():
        seeded = SeededDemo(request.config.stash[_migrated])
    yield seeded
    seeded.close()


@pytest.fixture
def demo_database(transactional_db, request):
    """The demo country as ``seed_demo`` leaves it in a database as migrated: on SQLite a copy of
    the session's one seeding, on PostgreSQL seeded for the test. The test is transactional."""
    if copies_in_memory():
        request.getfixturevalue("seeded_demo_copy").restore()
    else:
        seed_demo()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _register_hypothesis_profiles():
    """CI runs a fixed, derandomised profile so a run is repeatable and its time bounded."""
    from hypothesis import settings as hypothesis_settings

    hypothesis_settings.register_profile("ci", derandomize=True, max_examples=60, deadline=None)
    hypothesis_settings.register_profile("dev", max_examples=60, deadline=None)
    hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


_register_hypothesis_profiles()


TEST_SIGNING_KEY = "test-2026 " + base64.b64encode(bytes(range(32))).decode()


@pytest.fixture
def signing_key(monkeypatch):
    monkeypatch.setenv("BRIDGEWORK_SIGNING_KEYS", TEST_SIGNING_KEY)
    signing.configured_keys.cache_clear()
    yield
    signing.configured_keys.cache_clear()


@pytest.fixture
def page_cache_on(settings):
    """The full-page cache switched on (it is off in tests), empty before and after."""
    from django.core.cache import caches

    settings.BRIDGEWORK_PAGE_CACHE = True
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture(autouse=True)
def each_test_starts_in_the_default_language():
    """A request through the test client activates its page's language for the thread
    (Django's LocaleMiddleware), and nothing deactivates it: without this, a test would read
    its messages in the language of whatever French or Arabic page an earlier test opened."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
