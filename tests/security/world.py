"""The objects and users the permission matrix is walked over, and how its answers are read."""

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import Locale, Site

from brand.models import BrandText
from brand.roles import sync_roles
from core.private_files import PrivateFile, store_private_file
from core.testing.twofactor import login_with_second_factor
from core.uploads import PDF
from tests.brand.builders import build_home, build_story, build_story_index
from workshops.models import Trade

ROLES = [
    "anonymous",
    "supervisor",
    "finance",
    "auditor",
    "programme",
    "editor",
    "fulfilment",
    "admin",
]
# Text that only the objects below contain: a refused answer must not carry any of it. (The brand
# text is public: every page footer shows it.)
SECRETS = [
    "Secret trade 7731",
    "SECRET-PDF-5521",
    "hidden-person@example.org",
]
PASSWORD = "a-long-test-password-1"


def build_world() -> dict:
    home = build_home()
    index = build_story_index(home)
    story = build_story(index, 1)
    groups = sync_roles()
    users = {}
    for role in ROLES[1:]:
        user = User.objects.create_user(role, password=PASSWORD, email=f"{role}@example.org")
        if role == "admin":
            user.is_superuser = user.is_staff = True
            user.save()
        user.groups.add(groups[role])
        users[role] = user
    person = User.objects.create_user("person", email="hidden-person@example.org")
    trade = Trade.objects.create(
        name="Secret trade 7731",
        slug="pottery",
        occupation_code="7314",
        locale=Locale.get_default(),
    )
    text = BrandText.objects.create(locale=Locale.get_default(), tagline="Secret tagline 5521")
    private = store_private_file(
        SimpleUploadedFile("consent.pdf", b"%PDF-1.7\nSECRET-PDF-5521\n%%EOF\n"),
        purpose="consent",
        allowed=(PDF,),
    )
    return {
        "users": users,
        "ids": {
            "home": home.pk,
            "story": story.pk,
            "trade": trade.pk,
            "brandtext": text.pk,
            "site": Site.objects.get().pk,
            "file": private.pk,
            "person": person.pk,
            "group": Group.objects.get(name="Auditor").pk,
        },
    }


def client_for(client_class, world, role):
    client = client_class()
    if role != "anonymous":
        login_with_second_factor(client, world["users"][role])
    return client


def answer_of(response) -> int | str:
    """How the matrix writes a response: the status, or for a redirect where it goes."""
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith("/admin/login/"):
            return "login"
        if location == "/admin/":
            return "home"
        if location.startswith("/en/"):
            return "language"  # the language middleware retrying a 404 under /en/
        return "redirect"
    return response.status_code


def snapshot() -> tuple:
    """What a refused request must leave unchanged."""
    return (
        list(Trade.objects.order_by("pk").values_list("pk", "name", "slug", "occupation_code")),
        list(BrandText.objects.order_by("pk").values_list("pk", "tagline")),
        list(
            User.objects.order_by("pk").values_list("pk", "username", "is_active", "is_superuser")
        ),
        list(Group.objects.order_by("pk").values_list("pk", "name")),
        PrivateFile.objects.count(),
        list(Site.objects.values_list("pk", "hostname")),
    )
