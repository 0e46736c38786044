"""Benchmark: public pages served through the whole Django + Wagtail stack.

Figures: requests per second for the home page, the story index, a story and a search, on the
seeded demo in an in-memory SQLite database. Floor, measured in the same run: robots.txt, a view
that touches no database and renders no template, so it is the cost of the middleware stack
alone; the ratio says how many times that cost each page adds up to.

    python bench/page_render.py [--smoke]
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brand.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

PAGES = [
    ("home", "/en/"),
    ("story index", "/en/stories/"),
    ("story", "/en/stories/bread-at-four/"),
    ("search", "/en/search/?q=bread"),
]
FLOOR = ("floor: robots.txt", "/robots.txt")


def rate(client: Client, url: str, requests: int) -> float:
    client.get(url)  # warm caches, as a running site has them
    started = time.perf_counter()
    for _ in range(requests):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return requests / (time.perf_counter() - started)


def main() -> None:
    smoke = "--smoke" in sys.argv
    requests = 5 if smoke else 200
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, serialize=False)
    from brand.demo.seed import SIZES, seed

    print("seeding the demo…", flush=True)
    seed(SIZES["small"], progress=lambda label: print(f"  {label}", flush=True))
    client = Client()
    floor = rate(client, FLOOR[1], requests)
    print(f"{FLOOR[0]:<22} {floor:8.1f} req/s")
    worst = None
    for name, url in PAGES:
        figure = rate(client, url, requests)
        ratio = floor / figure
        worst = max(worst or (0, ""), (ratio, name))
        print(f"{name:<22} {figure:8.1f} req/s   floor {floor:8.1f} req/s   ratio {ratio:5.1f}x")
    print(
        f"page_render: {len(PAGES)} pages x {requests} requests; slowest {worst[1]} at "
        f"{worst[0]:.1f}x the floor of {floor:.0f} req/s{' (smoke)' if smoke else ''}"
    )


if __name__ == "__main__":
    main()
