"""The back office speaks each member of staff's chosen language, our screens included."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from wagtail.users.models import UserProfile

from brand.roles import sync_roles
from core.testing.twofactor import login_with_second_factor
from tests.brand.builders import build_home
from workshops.models import Trade

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    build_home()
    groups = sync_roles()
    user = User.objects.create_user("programme", password="x")
    user.groups.add(groups["programme"])
    login_with_second_factor(client, user)
    return user


def text_of(response, selector):
    return [
        element.get_text(" ", strip=True)
        for element in BeautifulSoup(response.content, "html.parser").select(selector)
    ]


@pytest.mark.parametrize(
    ("language", "heading", "refusal"),
    [
        ("en", "Trades", "The occupation code is four digits (ISCO-08)."),
        ("fr", "Métiers", "Le code de profession comporte quatre chiffres (CITP-08)."),
        ("ar", "المهن", "يتكوّن رمز المهنة من أربعة أرقام (ISCO-08)."),
    ],
)
def test_our_screens_and_errors_follow_the_staff_members_language(
    client, manager, language, heading, refusal
):
    profile = UserProfile.get_for_user(manager)
    profile.preferred_language = language
    profile.save()

    listing = client.get("/admin/workshops/trade/")
    response = client.post(
        "/admin/workshops/trade/new/",
        {"name": "Pottery", "slug": "pottery", "occupation_code": "73a"},
    )

    assert text_of(listing, "h1") == [heading]
    assert response.status_code == 200
    assert refusal in text_of(response, "main")[0]
    assert Trade.objects.count() == 0
