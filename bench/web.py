"""Benchmark: public pages served by gunicorn as in production, cached, cold and uncached.

The site runs under gunicorn (2 workers, ``brand.settings.production``, DEBUG off, persistent
database connections) on the small seeded demo in an SQLite file, made for the run in a temporary
directory; ``wrk`` (Debian's package) requests each address with 8 connections.

Figures, in requests per second:

- *floor*: robots.txt, a view that touches no database and renders no template, requested with
  a cookie the page cache does not know (so it is served cold, and no session is loaded): the
  cost of the server and the whole middleware stack alone, measured in the same run;
- *cached*: each page as an anonymous visitor gets it, from the full-page cache
  (``core.page_cache``; the answer's ``X-Cache`` header is checked to say ``hit``);
- *cold*: the same page with a session cookie (a visitor with a cart), which the page cache
  never serves: rendered for this visitor, with what is the same for everyone taken from what is
  kept per cache generation (``brand.serving``: the site, the route, the page and its view
  restrictions; ``page_cache.remember`` and ``{% chrome %}``: the brand's settings, the head,
  menu, language links, footer, a product page's main part);
- *uncached*: the same, from a second server started with ``BRIDGEWORK_PAGE_CACHE=no`` after the
  first has stopped: nothing kept, every query and template run, as the first visitor after a
  change meets it.

Each is printed as a share of the floor, each figure the best of ``--rounds`` (2; the smoke run:
one round of one second). The goals: cached pages at 90 % of the floor or more; cold product
pages at 15 % or more.

To measure another page, add its address to ``PAGES``; an address answering 404 (a part of the
site not in this build) is skipped with a note, any other answer but 200 stops the run.

    python bench/web.py [--smoke] [--seconds N] [--rounds N] [--directory DIR]

``--directory`` keeps the database and static files there and reuses them in the next run.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from base64 import b64encode
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (name, address): the shop's listing and product pages join here when they land.
PAGES = [
    ("home", "/en/"),
    ("story", "/en/stories/bread-at-four/"),
    ("sitemap", "/sitemap.xml"),
    ("shop listing", "/en/shop/"),
    ("category listing", "/en/shop/bakery-and-pantry/"),
    ("product", "/en/shop/bakery-and-pantry/country-loaf/"),
]
FLOOR = ("floor: robots.txt", "/robots.txt")
BYPASS_COOKIE = "bench=floor"  # unknown to the page cache: served cold, with no session
GOAL = 0.90  # cached pages, as a share of the floor
COLD_GOAL = 0.15  # cold product pages, as a share of the floor
COLD_GOAL_PAGES = ("product",)
WORKERS = 2
CONNECTIONS = 8


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_environment(directory: Path) -> dict[str, str]:
    def key(name: str) -> str:
        return f"{name} {b64encode(secrets.token_bytes(32)).decode()}"

    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "brand.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),  # signs nothing that outlives the run
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{directory / 'db.sqlite3'}",
        "CONN_MAX_AGE": "600",
        "STATIC_ROOT": str(directory / "static"),
        "MEDIA_ROOT": str(directory / "media"),
        "PRIVATE_MEDIA_ROOT": str(directory / "private"),
        "BRIDGEWORK_PAGE_CACHE_DIR": str(directory / "pages"),
        "BRIDGEWORK_SIGNING_KEYS": key("bench-key"),
        "BRIDGEWORK_LEDGER_KEYS": key("bench-ledger-key"),
        "SECURE_SSL_REDIRECT": "no",  # plain HTTP on the loopback
        "LOG_LEVEL": "WARNING",
    }


def prepare(directory: Path, env: dict[str, str]) -> str:
    """Migrate and seed the demo (unless the directory holds it already), collecting static files
    meanwhile; return the key of a session holding something, as a visitor with a cart has."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    shutil.rmtree(directory / "pages", ignore_errors=True)  # pages cached by an earlier run
    static = subprocess.Popen(
        [*manage, "collectstatic", "--noinput", "-v0"], stdout=subprocess.DEVNULL, env=env, cwd=ROOT
    )
    seed = not (directory / "db.sqlite3").exists()
    if seed:
        print("migrating and seeding the demo (small)…", flush=True)
    run = subprocess.run(
        [*manage, "shell", "-c", SETUP_SCRIPT.format(seed=seed)],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    if static.wait() != 0:
        raise SystemExit("collectstatic failed")
    return run.stdout.split()[-1]


SETUP_SCRIPT = """
import io

from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command

if {seed}:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", size="small", stdout=io.StringIO())
session = SessionStore()
session["bench"] = "a visitor's own state, e.g. a cart"
session.create()
print(session.session_key)
"""


def serve(env: dict[str, str], port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "brand.wsgi:application",
            f"--workers={WORKERS}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        stdout=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )


def wait_until_answering(server: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=5):
                return
        except OSError:  # refused, reset or timed out while the workers start
            if server.poll() is not None:
                raise SystemExit("gunicorn stopped before answering") from None
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 60 s")


def fetch(url: str, cookie: str | None) -> tuple[int, str]:
    """The status and ``X-Cache`` header of one request."""
    headers = {"Cookie": cookie} if cookie else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our own http:// address
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.headers.get("X-Cache", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Cache", "")


def wrk(url: str, seconds: int, cookie: str | None) -> float:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    run = subprocess.run(
        ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", *headers, url],
        check=True,
        capture_output=True,
        text=True,
    )
    if "Non-2xx" in run.stdout:
        raise SystemExit(f"{url} answered other than 200 under load:\n{run.stdout}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", run.stdout).group(1))


def check(base: str, path: str, session_cookie: str) -> bool:
    """Whether ``path`` is in this build (a 404 is not), is served from the page cache to an
    anonymous visitor and cold to one with a session."""
    status, _ = fetch(base + path, None)
    if status == 404:
        return False
    if status != 200:
        raise SystemExit(f"{path} answered {status}")
    _, state = fetch(base + path, None)  # the first request stored it
    if state != "hit":
        raise SystemExit(f"{path} was not served from the page cache (X-Cache: {state!r})")
    if fetch(base + path, session_cookie)[1] == "hit":
        raise SystemExit(f"{path} was served from the cache to a visitor with a session")
    return True


def measure(base: str, seconds: int, rounds: int, session_cookie: str) -> tuple[float, list]:
    """The floor, then each page cached and cold, in rounds; each figure is its best round, the
    floor's measured before every round and after the last (the machine may be shared, and the
    best is the least disturbed). Returns the floor and ``[(name, path, cached, cold)]``."""
    pages = []
    for name, path in PAGES:
        if check(base, path, session_cookie):
            pages.append((name, path))
        else:
            print(f"{name:<20} skipped: {path} answered 404 (not in this build)")
    floor, cached, cold = 0.0, dict.fromkeys(pages, 0.0), dict.fromkeys(pages, 0.0)
    for _round in range(rounds):
        floor = max(floor, wrk(base + FLOOR[1], seconds, BYPASS_COOKIE))
        for page in pages:
            cached[page] = max(cached[page], wrk(base + page[1], seconds, None))
            cold[page] = max(cold[page], wrk(base + page[1], seconds, session_cookie))
    floor = max(floor, wrk(base + FLOOR[1], seconds, BYPASS_COOKIE))
    return floor, [(*page, cached[page], cold[page]) for page in pages]


def measure_uncached(base: str, seconds: int, rounds: int, session_cookie: str, pages) -> dict:
    """Each page with a session on a server whose page cache is off: ``{path: req/s}``."""
    uncached = {}
    for _name, path, *_figures in pages:
        uncached[path] = max(wrk(base + path, seconds, session_cookie) for _round in range(rounds))
    return uncached


def report(floor: float, pages, uncached: dict) -> list:
    """Print the table; ``[(name, cached share, cold share)]``."""
    print(f"{FLOOR[0]:<20} {floor:9.1f} req/s")
    print(
        f"{'page':<18} {'cached':>12} {'share':>7} {'cold':>12} {'share':>7} "
        f"{'uncached':>12} {'share':>7}"
    )
    results = []
    for name, path, cached, cold in pages:
        print(
            f"{name:<18} {cached:7.1f} req/s {cached / floor:6.1%} {cold:7.1f} req/s "
            f"{cold / floor:6.1%} {uncached[path]:7.1f} req/s {uncached[path] / floor:6.1%}"
        )
        results.append((name, cached / floor, cold / floor))
    return results


def running(env: dict[str, str]):
    """A gunicorn serving ``env`` on a free port, and its address."""
    port = free_port()
    server = serve(env, port)
    wait_until_answering(server, port)
    return server, f"http://127.0.0.1:{port}"


def stop(server: subprocess.Popen | None) -> None:
    if server is not None:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="one second per figure, for CI")
    parser.add_argument("--seconds", type=int, default=5, help="length of each measurement")
    parser.add_argument("--rounds", type=int, default=2, help="rounds; each figure is its best")
    parser.add_argument("--directory", type=Path, help="keep the database here, reuse it next time")
    options = parser.parse_args()
    seconds, rounds = (1, 1) if options.smoke else (options.seconds, options.rounds)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    directory = options.directory or Path(tempfile.mkdtemp(prefix="bridgework-bench-web-"))
    directory.mkdir(parents=True, exist_ok=True)
    server = None
    try:
        env = production_environment(directory)
        session = prepare(directory, env)
        cookie = f"sessionid={session}"
        server, base = running(env)
        floor, pages = measure(base, seconds, rounds, cookie)
        stop(server)
        server, base = running({**env, "BRIDGEWORK_PAGE_CACHE": "no"})
        uncached = measure_uncached(base, seconds, rounds, cookie, pages)
    finally:
        stop(server)
        if options.directory is None:
            shutil.rmtree(directory, ignore_errors=True)
    if not pages:
        raise SystemExit("web: no page of PAGES is in this build")
    results = report(floor, pages, uncached)
    worst_cached = min(results, key=lambda result: result[1])
    worst_cold = min(results, key=lambda result: result[2])
    cold_goal = [result for result in results if result[0] in COLD_GOAL_PAGES]
    cold_verdict = ""
    if cold_goal:
        worst_product = min(cold_goal, key=lambda result: result[2])
        met = "met" if worst_product[2] >= COLD_GOAL else "NOT met"
        cold_verdict = f"; cold product pages {worst_product[2]:.1%} (goal {COLD_GOAL:.0%} {met})"
    verdict = "met" if worst_cached[1] >= GOAL else "NOT met"
    print(
        f"web: {len(results)} pages under gunicorn ({WORKERS} workers), floor {floor:.0f} req/s; "
        f"cached at least {worst_cached[1]:.0%} of it "
        f"({worst_cached[0]}; goal {GOAL:.0%} {verdict}), "
        f"cold at least {worst_cold[2]:.1%} ({worst_cold[0]}){cold_verdict}"
        f"{' (smoke)' if options.smoke else ''}"
    )


if __name__ == "__main__":
    main()
