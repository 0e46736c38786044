"""Languages: rendering in a given language, and which way a language is written.

The rule for documents (every app follows it): payslips are rendered in the worker's language,
certificates in the language the holder chooses (what is signed does not depend on the language),
customer e-mails and invoices in the order's language. Each of them calls ``render_in_language``
instead of relying on whatever language the current request happens to have.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


class UnknownLanguage(ValueError):
    """A language code that is not one of the deployment's LANGUAGES."""

    def __init__(self, code: str):
        self.code = code
        offered = ", ".join(code for code, _name in settings.LANGUAGES)
        super().__init__(f"Unknown language {code!r}: this site offers {offered}.")


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def check_language(code: str) -> str:
    """``code`` if the deployment offers it, else ``UnknownLanguage``; no silent fallback."""
    if code not in language_codes():
        raise UnknownLanguage(code)
    return code


def active_language() -> str:
    """The active language, narrowed to one the deployment offers ("fr-ca" → "fr")."""
    active = translation.get_language() or settings.LANGUAGE_CODE
    try:
        return translation.get_supported_language_variant(active)
    except LookupError:
        return settings.LANGUAGE_CODE


def active_and_default_language() -> tuple[str, str]:
    return active_language(), settings.LANGUAGE_CODE


def is_rtl(code: str) -> bool:
    return bool(translation.get_language_info(code)["bidi"])


def direction(code: str) -> str:
    """``"rtl"`` or ``"ltr"``: the HTML ``dir`` for text in this language."""
    return "rtl" if is_rtl(code) else "ltr"


@contextmanager
def in_language(code: str) -> Iterator[str]:
    """Activate ``code`` for the block (and restore the previous language after it)."""
    with translation.override(check_language(code)):
        yield code


def render_in_language(
    template_name: str, context: dict | None = None, *, language: str, request=None
) -> str:
    """Render a template with ``language`` active: its strings, formats and ``dir`` follow it."""
    with in_language(language):
        return render_to_string(template_name, context or {}, request=request)
