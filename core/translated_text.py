"""Field-level translation for short public names kept on register rows (a workshop's public name,
an SKU's name): the default language's text stays in its own field, and the other languages' in a
``TranslatedTextField`` beside it, edited in the same form, one input per language.

Why not Wagtail's ``TranslatableMixin`` here: it makes one row per language, and rows that other
records point at (assignments at a workshop, variants and stock at an SKU) must exist once.
Reference data read only by name (trades) use ``TranslatableMixin`` and wagtail-localize.
"""

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.i18n import active_language, direction


def other_languages() -> list[tuple[str, str]]:
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def in_language(default_text: str, translations: dict | None, language: str | None = None) -> str:
    """``default_text`` in ``language`` (default: the active one), falling back to the default
    language's text where no translation was entered."""
    code = language or active_language()
    return ((translations or {}).get(code) or "").strip() or default_text


class TranslationsWidget(forms.MultiWidget):
    template_name = "core/widgets/translations.html"

    def __init__(self, attrs=None):
        self.languages = other_languages()
        widgets = [
            forms.TextInput(attrs={"lang": code, "dir": direction(code)})
            for code, _name in self.languages
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        value = value or {}
        return [value.get(code, "") for code, _name in self.languages]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, (_code, language_name) in zip(
            context["widget"]["subwidgets"], self.languages, strict=True
        ):
            subwidget["language_name"] = language_name
        return context


class TranslationsFormField(forms.MultiValueField):
    def __init__(self, *, max_length=None, **kwargs):
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        languages = other_languages()
        fields = [forms.CharField(required=False, max_length=max_length) for _ in languages]
        self.codes = [code for code, _name in languages]
        super().__init__(
            fields, widget=TranslationsWidget, require_all_fields=False, required=False, **kwargs
        )

    def compress(self, data_list):
        return {
            code: text.strip()
            for code, text in zip(self.codes, data_list or [], strict=False)
            if text and text.strip()
        }


class TranslatedTextField(models.JSONField):
    """``{language code: text}`` for the languages other than the default."""

    def __init__(self, *args, max_length=None, **kwargs):
        self.text_max_length = max_length
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        kwargs.setdefault(
            "help_text", _("The same name in the site's other languages; empty falls back.")
        )
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.text_max_length is not None:
            kwargs["max_length"] = self.text_max_length
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return TranslationsFormField(
            max_length=self.text_max_length,
            label=self.verbose_name,
            help_text=self.help_text,
        )
