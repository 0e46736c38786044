"""The back office is Bridgework's: its name, logo and icon, and no links into Wagtail's own
guide or release notes."""

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from wagtail import hooks

from core.testing.twofactor import login_with_second_factor

pytestmark = pytest.mark.django_db


def submenu(props, name: str) -> list[dict]:
    """The items of the sidebar's submenu ``name``, wherever it sits in the sidebar's props."""
    if isinstance(props, dict):
        args = props.get("_args")
        if props.get("_type", "").endswith("SubMenuItem") and args[0]["name"] == name:
            return args[1]
        props = list(props.values())
    if isinstance(props, list):
        for value in props:
            found = submenu(value, name)
            if found is not None:
                return found
    return None


def test_the_sign_in_page_names_the_brand(client, settings):
    settings.WAGTAIL_SITE_NAME = "Qantara Goods"
    page = BeautifulSoup(client.get("/admin/login/").content, "html.parser")

    assert page.h1.get_text(strip=True) == "Sign in to Qantara Goods"
    assert page.title.get_text(strip=True) == "Sign in - Qantara Goods"
    assert [link["href"] for link in page.select("link[rel=icon]")] == [
        "/static/brand/icons/favicon.svg",
        "/static/brand/icons/icon-192.png",
    ]
    assert page.select_one(".login-logo img")["src"] == "/static/brand/icons/favicon.svg"
    for hidden in page.select("noscript, script, template"):
        hidden.decompose()
    assert "Wagtail" not in page.get_text()


def test_the_back_office_shows_the_brands_logo_and_no_wagtail_help_links(client):
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "x")
    login_with_second_factor(client, user)

    response = client.get("/admin/")

    page = BeautifulSoup(response.content, "html.parser")
    logo = BeautifulSoup(
        page.select_one("template[data-wagtail-sidebar-branding-logo]").decode_contents(),
        "html.parser",
    )
    assert logo.img["src"] == "/static/brand/icons/favicon.svg"
    sidebar = json.loads(page.select_one("#wagtail-sidebar-props").string)
    assert [item["_args"][0]["name"] for item in submenu(sidebar, "help")] == [
        "keyboard-shortcuts-trigger"
    ]
    assert "guide.wagtail.org" not in response.content.decode()


def test_every_menu_item_of_the_back_office_has_an_icon(rf):
    from wagtail.admin.menu import SubmenuMenuItem, admin_menu

    request = rf.get("/admin/")
    request.user = get_user_model().objects.create_superuser("root")

    def walk(items, trail=()):
        for item in items:
            yield (*trail, str(item.label)), item.icon_name
            if isinstance(item, SubmenuMenuItem):
                yield from walk(
                    item.menu.menu_items_for_request(request), (*trail, str(item.label))
                )

    shown = list(walk(admin_menu.menu_items_for_request(request)))
    wagtails = wagtail_icon_names()
    assert len(shown) > 20
    assert [path for path, icon in shown if icon not in wagtails] == []


def wagtail_icon_names() -> set[str]:
    """The icons Wagtail's sprite holds: each ``register_icons`` hook adds template paths."""
    icons = []
    for register in hooks.get_hooks("register_icons"):
        icons = register(icons)
    return {Path(icon).stem for icon in icons}


def test_every_icon_our_code_names_is_one_wagtail_draws():
    """A name Wagtail does not know draws nothing (a menu item, a button or a listing header
    without its icon)."""
    wagtails = wagtail_icon_names()
    named = re.compile(r"""\b(?:icon|icon_name|menu_icon|header_icon)\s*=\s*["']([\w-]+)["']""")
    root = Path(__file__).resolve().parents[2]
    used = {
        (str(path.relative_to(root)), name)
        for app in ("brand", "core", "workshops", "wages", "catalogue", "compliance")
        for path in (root / app).rglob("*.py")
        for name in named.findall(path.read_text())
    }
    assert len(used) > 30
    assert sorted((path, name) for path, name in used if name not in wagtails) == []
