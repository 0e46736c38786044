"""``seed_demo`` builds the whole demo country, prints the logins and can run again."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Page, Site

from brand.models import BrandSettings, HomePage, StoryPage
from workshops.models import Trade

pytestmark = pytest.mark.django_db

EXPECTED_LOGINS = [
    ("supervisor", "Workshop supervisor"),
    ("finance", "Finance officer"),
    ("finance2", "Finance officer"),
    ("auditor", "Auditor"),
    ("programme", "Programme manager"),
    ("editor", "Brand editor"),
    ("fulfilment", "Order fulfilment"),
    ("admin", "Administrator"),
]


def run_seed(*args):
    """seed_demo as it runs for real, with the callbacks that run once its transaction commits."""
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts():
    return {
        "pages": Page.objects.count(),
        "live": Page.objects.live().count(),
        "stories": StoryPage.objects.live().count(),
        "trades": Trade.objects.count(),
        "users": User.objects.count(),
        "groups": Group.objects.count(),
        "sites": Site.objects.count(),
    }


def test_seed_demo_builds_the_country_and_prints_every_login():
    output = run_seed()

    # root + 15 English pages (6 stories) + 12 each in French and Arabic (3 stories translated)
    assert counts() == {
        "pages": 40,
        "live": 40,
        "stories": 12,
        "trades": 27,
        "users": 8,
        "groups": 7,
        "sites": 1,
    }
    assert "Seeding the demo country Republic of Qantara (small)" in output
    login_lines = [line.split() for line in output.splitlines() if "bridgework-demo" in line]
    assert [(parts[0], " ".join(parts[2:])) for parts in login_lines] == EXPECTED_LOGINS
    site = Site.objects.get()
    assert isinstance(site.root_page.specific, HomePage)
    assert BrandSettings.for_site(site).country_name == "Republic of Qantara"
    for username, role in EXPECTED_LOGINS:
        user = User.objects.get(username=username)
        assert [g.name for g in user.groups.all()] == [role]
        assert user.check_password("bridgework-demo")
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.filter(is_superuser=True).count() == 1


def test_seed_demo_runs_again_without_duplicating_anything():
    run_seed()
    before = counts()

    run_seed("--size", "small")

    assert counts() == before


def test_seed_demo_trades_carry_four_digit_occupation_codes():
    run_seed()

    assert list(
        Trade.objects.filter(locale__language_code="en").values_list("slug", "occupation_code")
    ) == [
        ("bakery", "7512"),
        ("carpentry", "7115"),
        ("construction", "7112"),
        ("hydroponics", "6113"),
        ("printing", "7322"),
        ("soap-making", "8131"),
        ("tailoring", "7531"),
        ("upholstery", "7534"),
        ("welding", "7212"),
    ]


def test_seed_demo_refuses_an_unknown_size():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="invalid choice: 'huge'"):
        call_command("seed_demo", "--size", "huge")
    assert counts()["trades"] == 0


def test_the_seeded_site_serves_its_pages(client):
    run_seed()

    for url in [
        "/en/",
        "/en/our-promise/",
        "/en/how-we-check/",
        "/en/stories/",
        "/en/stories/bread-at-four/",
        "/en/impact/",
    ]:
        assert client.get(url).status_code == 200, url
    assert "Samira" in client.get("/en/stories/bread-at-four/").content.decode()
