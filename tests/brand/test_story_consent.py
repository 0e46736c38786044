"""A story needs the valid story consent of the person it is about; withdrawing it takes the story,
its translations and its aliases offline at once (workshops calls the hook, brand handles it)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from wagtail.models import Locale, Page, PageLogEntry

from brand.models import StoryPage
from tests.brand.builders import build_home, build_story, build_story_consent, build_story_index
from workshops.register.consents import withdraw_consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return build_home()


@pytest.fixture
def index(home):
    return build_story_index(home)


def test_a_story_without_a_consent_is_refused(index):
    story = StoryPage(
        title="No consent", slug="no-consent", date=datetime.date(2026, 1, 2), teaser="t", body=[]
    )

    with pytest.raises(ValidationError) as error:
        index.add_child(instance=story)

    assert error.value.message_dict == {
        "consent": ["A story names the story consent of the person it is about."]
    }
    assert StoryPage.objects.count() == 0


def test_a_story_shows_only_the_name_chosen_in_the_consent(index):
    consent = build_story_consent("Samira")

    with pytest.raises(ValidationError) as error:
        build_story(index, 1, consent=consent, teller_name="Samira Legalname")

    assert error.value.message_dict == {
        "teller_name": ["Show only the name chosen in the consent (Samira), or none."]
    }
    assert build_story(index, 2, consent=consent, teller_name="Samira").live


def test_withdrawing_the_consent_unpublishes_the_story_its_translations_and_aliases(home, index):
    french, _created = Locale.objects.get_or_create(language_code="fr")
    story = build_story(index, 1, teller_name="Nadia")
    home.copy_for_translation(french).save_revision().publish()
    index.copy_for_translation(french).save_revision().publish()
    translation = story.copy_for_translation(french)
    translation.save_revision().publish()
    alias = story.create_alias(
        parent=build_story_index(index.get_parent(), slug="more", title="More")
    )
    other = build_story(index, 2)

    withdraw_consent(consent=story.consent, on=datetime.date(2026, 6, 1))

    live = {
        page.pk: page.live
        for page in Page.objects.filter(pk__in=[story.pk, translation.pk, alias.pk, other.pk])
    }
    assert live == {story.pk: False, translation.pk: False, alias.pk: False, other.pk: True}
    assert PageLogEntry.objects.filter(action="wagtail.unpublish").count() == 3
    story.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        story.save_revision().publish()
    assert error.value.message_dict["consent"] == [
        f"consent instance with id {story.consent_id} is not a valid choice.",  # limit_choices_to
        "This consent was withdrawn on 2026-06-01: the story cannot be saved or published.",
    ]
    assert not Page.objects.get(pk=story.pk).live


def test_an_editor_chooses_a_consent_by_its_name_state_and_dates_never_by_who(client, index):
    from bs4 import BeautifulSoup
    from django.contrib.auth import get_user_model

    from brand.forms import consent_label
    from core.testing.twofactor import login_with_second_factor

    consent = build_story_consent("Samira")
    login_with_second_factor(
        client, get_user_model().objects.create_superuser("editor", "e@example.org", "x")
    )

    with translation.override("en"):
        response = client.get(f"/admin/pages/add/brand/storypage/{index.pk}/")

    page = BeautifulSoup(response.content, "html.parser")
    options = [o.get_text() for o in page.select("select[name=consent] option") if o["value"]]
    assert options == ["“Samira” · signed on Dec 1, 2025 · valid"]
    worker = consent.worker
    for private in (worker.reference, worker.legal_name, worker.prison_number):
        assert private not in response.content.decode()
    consent.withdrawn_on = datetime.date(2026, 2, 3)
    consent.chosen_name = ""
    with translation.override("en"):
        label = consent_label(consent)
    assert label == ("“no name (anonymous)” · signed on Dec 1, 2025 · withdrawn on Feb 3, 2026")
