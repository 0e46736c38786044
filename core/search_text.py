"""What a visitor types into a search box, as words for the search backend.

The database backend hands the text to SQLite's FTS5 or PostgreSQL's full-text parser, each with
a syntax of its own (quotes, brackets, ``*``, ``NEAR``, ``-``); text a visitor types is not that
syntax, and a stray bracket must not fail the page. So a query keeps its words (letters and
digits of any script) and loses everything else.
"""

import re

_NOT_WORD = re.compile(r"[^\w]+")


def plain_words(text: str) -> str:
    """``text``'s words, separated by single spaces ("tote*  (bag" → "tote bag")."""
    return " ".join(word for word in _NOT_WORD.sub(" ", text).split() if word.strip("_"))
