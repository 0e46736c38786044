"""Nothing public links a person to prison: no worker reference, legal name or prison number on any
public page of the seeded demo, in any language, nor in what the search finds (DESIGN.md)."""

from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import pytest

from workshops.models import Worker

pytestmark = pytest.mark.django_db
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def seeded(demo_database):
    """The small demo, seeded once per session (``tests/demo_database.py``)."""


def test_no_public_page_or_search_shows_a_workers_identity(client, seeded):
    workers = list(Worker.objects.values_list("reference", "legal_name", "prison_number"))
    forbidden = {value for row in workers for value in row}
    sitemap = ElementTree.fromstring(client.get("/sitemap.xml").content)
    paths = [urlsplit(loc.text).path for loc in sitemap.findall("s:url/s:loc", SITEMAP)]
    queries = ["W-", workers[0][0], workers[0][1].split()[0], "prison", "bakery", "Samira"]
    paths += [f"/{lang}/search/?q={q}" for lang in ("en", "fr", "ar") for q in queries]

    shown = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.content.decode()
        asked = unquote(urlsplit(path).query)  # the search echoes what was typed: that is not data
        found = sorted(value for value in forbidden if value in page and value not in asked)
        if found:
            shown[path] = found

    assert len(workers) == 200  # the small demo
    # every page in the sitemap (the brand's 39 and the shop's 153: the shop, 7 categories and
    # 43 products in each language), 6 searches in each of 3 languages
    assert len(paths) == 39 + 153 + 18
    assert shown == {}
