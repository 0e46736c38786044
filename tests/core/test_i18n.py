"""core.i18n: rendering in a given language and the direction of each language."""

import pytest
from django.utils import translation

from core.i18n import (
    UnknownLanguage,
    active_language,
    check_language,
    direction,
    in_language,
    render_in_language,
)


def test_render_in_language_uses_that_language_and_restores_the_active_one():
    with translation.override("fr"):
        arabic = render_in_language("pdf/base.html", language="ar")
        english = render_in_language("pdf/base.html", language="en")
        assert translation.get_language() == "fr"

    assert '<html lang="ar" dir="rtl">' in arabic
    assert '<html lang="en" dir="ltr">' in english
    assert 'content: "الصفحة " counter(page) " من " counter(pages) "";' in arabic
    assert 'content: "Page " counter(page) " of " counter(pages) "";' in english


def test_an_unknown_language_is_refused_with_the_languages_on_offer():
    with pytest.raises(UnknownLanguage) as refused:
        render_in_language("pdf/base.html", language="de")

    assert str(refused.value) == "Unknown language 'de': this site offers en, fr, ar."
    with pytest.raises(UnknownLanguage), in_language("xx"):
        pass


@pytest.mark.parametrize(("code", "expected"), [("en", "ltr"), ("fr", "ltr"), ("ar", "rtl")])
def test_direction(code, expected):
    assert direction(code) == expected


def test_active_language_is_narrowed_to_one_the_site_offers():
    with translation.override("fr-ca"):
        assert active_language() == "fr"
    with translation.override("de"):
        assert active_language() == "en"
    assert check_language("ar") == "ar"
