"""Builders of the smallest brand site a test needs."""

import datetime

from wagtail.models import Page, Site

from brand.models import HomePage, StandardPage, StoryIndexPage, StoryPage
from workshops.models import Consent, Worker


def build_home(**fields) -> HomePage:
    """A home page as the root of the default site, replacing Wagtail's welcome page."""
    root = Page.get_first_root_node()
    Page.objects.child_of(root).delete()
    home = HomePage(
        title="Home",
        slug="home",
        hero_heading=fields.pop("hero_heading", "Made with skill."),
        hero_text=fields.pop("hero_text", "Paid fairly."),
        **fields,
    )
    root.add_child(instance=home)
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home


def build_story_index(home, *, title="Stories", slug="stories") -> StoryIndexPage:
    index = StoryIndexPage(title=title, slug=slug, intro="In their own words.", show_in_menus=True)
    home.add_child(instance=index)
    return index


def build_story_consent(name: str) -> Consent:
    """A worker and their story consent, showing ``name``."""
    reference = f"W-S{Worker.objects.count() + 1:05d}"
    worker = Worker.objects.create(
        reference=reference,
        legal_name=f"Legal {reference}",
        prison_number=f"P-{reference}",
        sex="female",
    )
    return Consent.objects.create(
        worker=worker, kind="story", signed_on=datetime.date(2025, 12, 1), chosen_name=name
    )


def build_story(index, number: int, *, live=True, **fields) -> StoryPage:
    teller = fields.pop("teller_name", f"Teller {number}")
    consent = fields.pop("consent", None) or build_story_consent(teller)
    story = StoryPage(
        title=fields.pop("title", f"Story {number}"),
        slug=fields.pop("slug", f"story-{number}"),
        date=fields.pop("date", datetime.date(2026, 1, 1) + datetime.timedelta(days=number)),
        teaser=fields.pop("teaser", f"Teaser {number}."),
        teller_name=teller,
        consent=consent,
        body=fields.pop("body", [("paragraph", f"<p>Body of story {number}.</p>")]),
        live=live,
        **fields,
    )
    index.add_child(instance=story)
    return story


def build_standard(parent, slug: str, title: str, *, in_menu=True, **fields) -> StandardPage:
    page = StandardPage(title=title, slug=slug, show_in_menus=in_menu, **fields)
    parent.add_child(instance=page)
    return page
