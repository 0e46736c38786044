"""A visitor's search text keeps its words, in any script, and loses the backends' syntax."""

import pytest

from core.search_text import plain_words


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("tote*  (bag", "tote bag"),
        ('"*()&|', ""),
        ("NEAR(canvas, 2)", "NEAR canvas 2"),
        ("-tote _ __", "tote"),
        ("sac à dos", "sac à dos"),
        ("حقيبة (قماش)", "حقيبة قماش"),
    ],
)
def test_only_words_are_kept(typed, words):
    assert plain_words(typed) == words
