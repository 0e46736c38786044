"""Builds the demo country: its trades, the work programme's register (``register``), the brand
site's pages and one user per role.

Every function is idempotent: it finds what an earlier run made (by slug or username) and brings
it up to date, so ``seed_demo`` can run again at any time. Later issues add their own steps.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Collection, Locale, Page, Site

from brand.demo import content
from brand.demo.aftersales import seed_aftersales
from brand.demo.assessments import seed_assessments
from brand.demo.cards import seed_card_orders
from brand.demo.catalogue import seed_catalogue
from brand.demo.certificates import seed_certificates
from brand.demo.compliance import seed_compliance
from brand.demo.images import demo_image
from brand.demo.inventory import seed_inventory
from brand.demo.labour_invoices import seed_labour_invoices
from brand.demo.orders import seed_orders
from brand.demo.pages import published_child
from brand.demo.pay import seed_pay
from brand.demo.payruns import seed_pay_runs
from brand.demo.payslips import seed_payslips
from brand.demo.production import seed_incidents, seed_production
from brand.demo.quotes import seed_quotes
from brand.demo.refunds import seed_refunds
from brand.demo.register import seed_register
from brand.demo.releases import seed_releases
from brand.demo.remittances import seed_remittances
from brand.demo.sales_share import seed_sales_share
from brand.demo.spending import seed_spending
from brand.demo.statements import seed_statements
from brand.demo.training import seed_training
from brand.demo.translate import translate_demo
from brand.models import (
    BrandSettings,
    BrandText,
    HomePage,
    ImpactPage,
    StandardPage,
    StoryIndexPage,
    StoryPage,
)
from brand.roles import ROLES, sync_roles
from core import page_cache
from workshops.models import Trade

DEMO_PASSWORD = "bridgework-demo"  # noqa: S105 - printed on purpose: the demo's shared password  # nosec B105


@dataclass(frozen=True)
class DemoSize:
    """How much history the demo holds; later issues read their volumes from here."""

    name: str
    workers_per_workshop: int
    months_of_production: int


SIZES = {
    "small": DemoSize("small", workers_per_workshop=20, months_of_production=3),
    "medium": DemoSize("medium", workers_per_workshop=50, months_of_production=6),
    "large": DemoSize("large", workers_per_workshop=100, months_of_production=12),
}

# (username, role slug, display name). Approval of a pay run needs a second finance officer.
DEMO_USERS = [
    ("supervisor", "supervisor", "Hassan Idrissi"),
    ("finance", "finance", "Claire Benali"),
    ("finance2", "finance", "Tariq Mansour"),
    ("auditor", "auditor", "Aïcha Durand"),
    ("programme", "programme", "Mehdi Laroui"),
    ("editor", "editor", "Sofia Haddad"),
    ("fulfilment", "fulfilment", "Julien Amrani"),
    ("admin", "admin", "Rania Khoury"),
]


def ensure_wagtail_roots() -> None:
    """A locale for each of the deployment's languages, and the root page and root collection that
    Wagtail's migrations create, made again if a database was emptied after migrating (``flush``,
    transactional tests)."""
    for code, _name in settings.LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", url_path="/"))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def seed_trades() -> list[Trade]:
    trades = []
    for name, slug, code, description in content.TRADES:
        trade, _created = Trade.objects.update_or_create(
            slug=slug,
            locale=Locale.get_default(),
            defaults={"name": name, "occupation_code": code, "description": description},
        )
        trades.append(trade)
    return trades


def seed_users() -> list[tuple[str, str, str]]:
    """One user per role (two finance officers); returns (username, password, role name)."""
    groups = sync_roles()
    role_names = {role.slug: role.name for role in ROLES}
    User = get_user_model()
    rows = []
    for username, role_slug, full_name in DEMO_USERS:
        first, last = full_name.split(" ", 1)
        user, _created = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@bridgework.example"
        user.is_active = True
        user.is_staff = role_slug == "admin"
        user.is_superuser = role_slug == "admin"
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([groups[role_slug]])
        rows.append((username, DEMO_PASSWORD, role_names[role_slug]))
    return rows


def site_address(address: str) -> tuple[str, int]:
    """``host[:port]`` as the Wagtail Site's hostname and port (80 when none is given)."""
    host, colon, port = address.rpartition(":")
    if colon and port.isdigit() and host:
        return host.strip("[]"), int(port)
    return address, 80


def seed_site(story_consents: dict, address: str = "localhost") -> HomePage:
    """The home page as the default site's root, with every page beneath it; each story names
    its teller's story consent (``story_consents``, by the name they chose to show); a story
    whose teller has no valid consent is not published."""
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=Locale.get_default()).first()
    hero_image = demo_image("Workshop pattern", "brand", 1)
    home_fields = {
        "title": content.HOME["title"],
        "hero_heading": content.HOME["hero_heading"],
        "hero_text": content.HOME["hero_text"],
        "hero_link_text": content.HOME["hero_link_text"],
        "hero_image": hero_image,
        "body": content.HOME["body"],
        "seo_title": f"{content.BRAND_NAME}: goods made with fair work",
        "search_description": content.TAGLINE,
    }
    if home is None:
        # Wagtail's migration leaves a "Welcome" page (and a site on it) where the home page goes.
        Page.objects.child_of(root).filter(slug="home").not_type(HomePage).delete()
        home = HomePage(slug="home", **home_fields)
        root.add_child(instance=home)
    else:
        for name, value in home_fields.items():
            setattr(home, name, value)
    home.save_revision().publish()

    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    # The site's real address: sitemap.xml, canonical links and link previews are built from it.
    site.hostname, site.port = site_address(address)
    site.root_page = home
    site.site_name = content.BRAND_NAME
    site.save()

    pages = {}
    for spec in content.STANDARD_PAGES:
        pages[spec["slug"]] = published_child(
            home,
            StandardPage,
            spec["slug"],
            title=spec["title"],
            intro=spec["intro"],
            body=spec["body"],
            show_in_menus=spec["show_in_menus"],
        )
    stories = published_child(
        home,
        StoryIndexPage,
        content.STORY_INDEX["slug"],
        title=content.STORY_INDEX["title"],
        intro=content.STORY_INDEX["intro"],
        show_in_menus=True,
    )
    for number, (slug, title, name, trade, date, teaser, paragraphs, quote) in enumerate(
        content.STORIES
    ):
        if name not in story_consents:
            continue  # the teller withdrew their consent: the story stays offline
        body = [("paragraph", "".join(f"<p>{text}</p>" for text in paragraphs))]
        body.append(("quote", {"quote": quote, "attribution": name}))
        published_child(
            stories,
            StoryPage,
            slug,
            title=title,
            consent=story_consents[name],
            teller_name=name,
            date=datetime.date.fromisoformat(date),
            teaser=teaser,
            image=demo_image(f"{title} (illustration)", trade, number + 10),
            body=body,
        )
    published_child(
        home,
        ImpactPage,
        content.IMPACT["slug"],
        title=content.IMPACT["title"],
        intro=content.IMPACT["intro"],
        body=content.IMPACT["body"],
        show_in_menus=True,
    )
    home.hero_link = pages["how-we-check"]
    home.save_revision().publish()

    brand = BrandSettings.for_site(site)
    brand.brand_name = content.BRAND_NAME
    brand.country_name = content.COUNTRY
    brand.contact_email = content.CONTACT_EMAIL
    brand.contact_phone = content.CONTACT_PHONE
    brand.legal_page = pages["legal-notices"]
    brand.privacy_page = pages["privacy"]
    brand.accessibility_page = pages["accessibility"]
    brand.save()
    BrandText.objects.update_or_create(
        locale=Locale.get_default(),
        defaults={
            "tagline": content.TAGLINE,
            "postal_address": content.POSTAL_ADDRESS,
            "legal_notice": content.LEGAL_NOTICE,
        },
    )
    return home


@transaction.atomic
def seed(size: DemoSize, progress, address: str = "localhost") -> list[tuple[str, str, str]]:
    """Run every step; ``progress(label)`` is called before each. ``address`` (``host[:port]``)
    is where the demo is served: the Wagtail Site's hostname and port."""
    ensure_wagtail_roots()
    progress(_("trades"))
    seed_trades()
    progress(_("register"))
    register = seed_register(size)
    progress(_("production"))
    seed_production(size.months_of_production)
    seed_incidents()
    progress(_("training"))
    seed_training()
    progress(_("brand site"))
    seed_site(register["story_consents"], address)
    progress(_("translations"))
    translate_demo()
    progress(_("users and roles"))
    logins = seed_users()
    progress(_("certificates"))
    seed_certificates()
    progress(_("batches and stock"))
    seed_inventory()
    progress(_("shop: taxes, shipping, categories and products"))
    seed_catalogue()
    progress(_("pay policy, rates and benchmarks"))
    seed_pay()
    progress(_("pay runs"))
    seed_pay_runs()
    progress(_("family remittances"))
    seed_remittances()
    progress(_("purchases from the prison shops"))
    seed_spending()
    progress(_("partner labour invoices"))
    seed_labour_invoices()
    progress(_("releases: payouts and a transfer"))
    seed_releases()
    progress(_("shop orders"))
    seed_orders()
    seed_card_orders()
    progress(_("bank statement"))
    seed_statements()
    progress(_("overdue invoices and returns"))
    seed_aftersales()
    progress(_("shop quotes"))
    seed_quotes()
    seed_refunds()
    progress(_("makers' share of sales and back wages paid out"))
    seed_sales_share()
    progress(_("payslips"))
    seed_payslips()
    progress(_("compliance: thresholds, inspections, insurance, declarations, grievances"))
    seed_compliance()
    progress(_("compliance: assessments of the partners and a workshop"))
    seed_assessments()
    page_cache.invalidate()  # pages cached before the demo was (re)seeded
    return logins
