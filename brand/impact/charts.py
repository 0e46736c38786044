"""Horizontal bar charts drawn as SVG on the server: no script, no client library.

    bar_chart(name, bars, *, chart_id, rtl=False) -> SafeString

``bars`` are ``Bar(label, value, text)``: a bar as long as ``value`` is to the largest value,
labelled with ``label`` and followed by ``text`` (the value as the page writes it). A bar whose
value is None (a suppressed count) is not drawn; its row shows only its label and text. The
chart is one image to assistive technology (``role="img"``, named by its ``<title>``); the page
gives the same figures in a table beside it. Right-to-left pages get the chart mirrored.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL = 190  # the labels' column
TEXT = 130  # room after the longest bar for its text
ROW = 34
BAR = 22
INK = "#1b2226"  # the site's --ink and --primary: 15.9:1 and 7.4:1 on the page's paper
BAR_FILL = "#0b5d56"


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int | None
    text: str


def bar_chart(name: str, bars: list[Bar], *, chart_id: str, rtl: bool = False) -> SafeString:
    largest = max((Decimal(bar.value) for bar in bars if bar.value is not None), default=0)
    room = WIDTH - LABEL - TEXT
    height = ROW * len(bars) + 8
    rows = []
    for n, bar in enumerate(bars):
        top = 4 + n * ROW
        middle = top + ROW / 2
        length = 0 if not bar.value or not largest else float(Decimal(bar.value) / largest) * room
        rows.append(_text(LABEL - 8, middle, bar.label, "end", rtl))
        if bar.value is not None and length:
            x = LABEL if not rtl else WIDTH - LABEL - length
            rows.append(
                f'<rect x="{x:.1f}" y="{top + (ROW - BAR) / 2:.1f}" width="{length:.1f}" '
                f'height="{BAR}" fill="{BAR_FILL}" rx="2"/>'
            )
        rows.append(_text(LABEL + length + 8, middle, bar.text, "start", rtl))
    # every word in it is escaped (its name here, the bars' words in _text); the rest is numbers
    chart_id = escape(chart_id)
    return mark_safe(  # noqa: S308  # nosec B308 B703
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}-title" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" direction="{"rtl" if rtl else "ltr"}" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(name)}</title>{"".join(rows)}</svg>'
    )


def _text(x: float, y: float, words: str, anchor: str, rtl: bool) -> str:
    """A line of text at ``x`` (measured from the start side), anchored at its ``anchor`` end;
    on a right-to-left page ``x`` is measured from the right, and the chart's ``direction``
    turns the anchors round with it."""
    if rtl:
        x = WIDTH - x
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" dominant-baseline="middle" '
        f'font-size="15" fill="{INK}">{escape(words)}</text>'
    )
