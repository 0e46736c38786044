"""E-mails are written in the language asked for (the order's, the worker's), not the request's."""

from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation

from core.i18n import UnknownLanguage
from core.mail import send_templated_email

SUBJECT = '{% load i18n %}{% translate "Search" %}: {{ reference }}\n'
TEXT = '{% load i18n bridgework_format %}{% translate "Total" %} {{ total|number:2 }}\n'
HTML = (
    '{% extends "email/base.html" %}{% load i18n %}'
    '{% block content %}<p>{% translate "Total" %}</p>{% endblock %}'
)


@pytest.fixture
def templates(settings, tmp_path):
    folder = tmp_path / "email"
    folder.mkdir()
    (folder / "sample_subject.txt").write_text(SUBJECT)
    (folder / "sample.txt").write_text(TEXT)
    (folder / "sample.html").write_text(HTML)
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]


def send(language):
    return send_templated_email(
        template="email/sample",
        context={"reference": "BW-1042", "total": Decimal("1234.5")},
        to=["buyer@example.org"],
        language=language,
    )


def test_an_email_is_written_in_its_language_whatever_the_active_one(templates):
    with translation.override("en"):
        send("fr")
        send("ar")

    french, arabic = mail.outbox
    assert french.subject == "Rechercher: BW-1042"
    assert french.body == "Total 1\u202f234,50\n"
    assert '<html lang="fr" dir="ltr">' in french.alternatives[0].content
    assert "<p>Total</p>" in french.alternatives[0].content
    assert arabic.subject == "بحث: BW-1042"
    assert arabic.body == "الإجمالي 1,234.50\n"
    assert '<html lang="ar" dir="rtl">' in arabic.alternatives[0].content


def test_an_unknown_language_sends_nothing(templates):
    with pytest.raises(UnknownLanguage):
        send("de")

    assert mail.outbox == []
