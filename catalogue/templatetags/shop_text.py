"""Text that buyers typed, written the right way round in documents of either direction.

An address line such as "1 rue du Pain" in an Arabic (right-to-left) invoice would print as
"rue du Pain 1": the paragraph's direction decides where the leading number goes. Browsers fix
this with ``dir="auto"``; WeasyPrint does not support it (nor ``unicode-bidi: plaintext``), so
``direction`` finds a line's direction from its first strongly directional letter (Unicode
Bidirectional Algorithm, rules P2–P3), for ``<span dir="{{ line|direction }}">``.
"""

import unicodedata

from django import template

register = template.Library()


@register.filter
def direction(text) -> str:
    """``"ltr"`` or ``"rtl"`` by the first strong letter of ``text``; ``"auto"`` with none."""
    for character in str(text or ""):
        kind = unicodedata.bidirectional(character)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "auto"
