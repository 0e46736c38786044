"""Public pages against WCAG 2.2 AA with axe-core (4.12, bundled by axe-playwright-python), in
each language and on a phone-sized screen: every violation fails with its rule and elements."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}
PAGES = [
    "/en/",
    "/fr/",
    "/ar/",
    "/en/stories/",
    "/ar/stories/bread-at-four/",
    "/fr/histoires/le-pain-a-quatre-heures/",
    "/en/how-we-check/",
    "/fr/site-map/",
    "/ar/impact/",
    "/en/search/?q=bread",
    "/ar/search/?q=nothing-matches-this",
    "/en/no-such-page/",
]


def violations(page, url):
    page.goto(url)
    results = Axe().run(page, options=WCAG_AA)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("width", [1280, 390])
def test_public_pages_meet_wcag_22_aa(page, demo, width):
    page.set_viewport_size({"width": width, "height": 900})

    found = {path: violations(page, demo + path) for path in PAGES}

    assert {path: v for path, v in found.items() if v} == {}


def test_the_check_finds_what_it_should(page):
    """The same check on a page with known faults reports them (so an empty result means
    something)."""
    page.set_content(
        '<html><body><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><a href="#"></a>'
        '<p style="color:#777;background:#888">Low contrast</p></body></html>'
    )

    results = Axe().run(page, options=WCAG_AA)

    ids = sorted(v["id"] for v in results.response["violations"])
    assert ids == ["color-contrast", "document-title", "html-has-lang", "image-alt", "link-name"]
