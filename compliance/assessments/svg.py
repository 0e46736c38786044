"""A small SVG renderer for the assessment charts: horizontal bar charts and histograms, with axis
labels, a title, limit lines, drawn as vector shapes and text (no raster, no script, no
dependency), so the same markup prints in WeasyPrint's PDF and shows in the browser.

    bar_chart(key=, title=, description=, rows=[Bar], series=, axis_label=, limits=, value=)
    histogram(key=, title=, description=, bins=[Bin], x_label=, y_label=, limits=)

Accessible: the ``<svg>`` is ``role="img"`` labelled by its ``<title>`` and ``<desc>``, and the
description says in words what the chart shows and how many are above or below the limit.
Every piece of text is escaped. The drawing is laid out left to right whatever the page's
direction (``direction="ltr"`` on the root, explicit ``text-anchor``): a right-to-left page
(Arabic) keeps its axes readable, while labels in Arabic script are shaped by the text itself.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL_WIDTH = 130  # the category labels at the start of each bar
MARGIN = 16
TITLE_HEIGHT = 28
AXIS_HEIGHT = 40  # ticks and the axis label under the plot
LEGEND_HEIGHT = 18
ROW = 18  # one category of a bar chart
PLOT_HEIGHT = 180  # of a histogram
FONT = "Noto Sans, DejaVu Sans, sans-serif"
COLOURS = ("#3b6ea5", "#c2703d", "#6a8f3a")  # distinct in greyscale too (dark, mid, light)
LIMIT_COLOUR = "#b11f24"
TEXT = "#222"
GRID = "#ddd"


@dataclass(frozen=True)
class Chart:
    """A chart ready for a page: its ``key`` (stable, for tests and anchors), its title and
    description in words, and its markup."""

    key: str
    title: str
    description: str
    svg: SafeString


@dataclass(frozen=True)
class Bar:
    """One category of a bar chart: its label, a value per series (None where it has none), and
    its own limit marker (a floor that differs from worker to worker), if any."""

    label: str
    values: tuple
    marker: Decimal | None = None


@dataclass(frozen=True)
class Bin:
    """A histogram's bar: values above ``low`` up to ``high``, and how many there were."""

    low: Decimal
    high: Decimal
    count: int


@dataclass(frozen=True)
class Limit:
    value: Decimal
    label: str


@dataclass
class _Svg:
    key: str
    width: int
    height: int
    title: str
    description: str
    parts: list = field(default_factory=list)

    def text(self, x, y, content, *, anchor="start", size=10, weight=None, fill=TEXT, extra=""):
        bold = f' font-weight="{weight}"' if weight else ""
        self.parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}"{bold}{extra}>{escape(content)}</text>'
        )

    def line(self, x1, y1, x2, y2, *, stroke=TEXT, width=1, dash=None):
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{stroke}" stroke-width="{width}"{dashed}/>'
        )

    def rect(self, x, y, width, height, *, fill):
        self.parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" '
            f'height="{max(height, 0):.1f}" fill="{fill}"/>'
        )

    def markup(self) -> SafeString:
        ids = f"chart-{self.key}"
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
            f'aria-labelledby="{ids}-title {ids}-desc" width="{self.width}" '
            f'height="{self.height}" viewBox="0 0 {self.width} {self.height}" direction="ltr" '
            f'font-family="{FONT}" class="chart">'
            f'<title id="{ids}-title">{escape(self.title)}</title>'
            f'<desc id="{ids}-desc">{escape(self.description)}</desc>'
        )
        # every text is escaped (text(), the title and description); the rest is numbers
        return mark_safe(head + "".join(self.parts) + "</svg>")  # noqa: S308  # nosec B308 B703


def nice_top(value) -> Decimal:
    """The axis's end: the first of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ at or above ``value``."""
    value = float(value)
    if value <= 0:
        return Decimal(1)
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if value <= step * power + 1e-9:
            return Decimal(str(step * power)).normalize()
    return Decimal(str(10 * power))


ROUND_STEPS = {Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5)}


def _round(step: Decimal) -> bool:
    """Is ``step`` 1, 2, 2.5 or 5 times a power of ten?"""
    if step <= 0:
        return False
    return step.scaleb(-step.adjusted()).normalize() in ROUND_STEPS


def _ticks(top: Decimal, *, whole: bool = False) -> list[Decimal]:
    """From zero to ``top`` in 2 to 6 round steps (whole numbers only when ``whole``, for
    counts)."""
    for count in (5, 4, 6, 3, 2):
        step = top / count
        if _round(step) and (not whole or step == step.to_integral_value()):
            return [step * n for n in range(count + 1)]
    return [Decimal(0), top]


def _plain(value) -> str:
    """A tick's number: no trailing zeros (ticks are the chart's own round numbers)."""
    text = f"{Decimal(value).normalize():f}"
    return text


def _limit(svg: _Svg, x: float, label_y: float, bottom: float, label: str, right: float):
    """A dashed line at a limit, its label above it (kept inside the drawing at the end)."""
    svg.line(x, label_y + 2, x, bottom, stroke=LIMIT_COLOUR, width=1.5, dash="5 3")
    anchor = "end" if x > right - 30 else "middle"
    svg.text(x, label_y, label, anchor=anchor, size=9, fill=LIMIT_COLOUR)


def bar_chart(
    *,
    key: str,
    title: str,
    description: str,
    rows: list[Bar],
    series: list[str],
    axis_label: str,
    limits: list[Limit] = (),
    value=str,
    number_format=None,
    marker_label: str = "",
    empty: str = "",
) -> Chart:
    """Horizontal bars, one group per row (one bar per series), from zero; ``value`` writes a
    bar's number at its end and ``number_format`` the axis's (plain digits without it);
    ``limits`` are drawn across every row, a row's ``marker`` across
    its own bars only."""
    write = number_format or _plain
    markers = any(row.marker is not None for row in rows)
    legend = LEGEND_HEIGHT if len(series) > 1 or markers else 0
    body = max(len(rows), 1) * ROW * max(len(series), 1) ** 0.5
    top_y = TITLE_HEIGHT + legend + 14  # room for the limit labels
    height = int(top_y + body + AXIS_HEIGHT)
    svg = _Svg(key, WIDTH, height, title, description)
    svg.text(MARGIN, 18, title, size=12, weight="600")
    left, right = MARGIN + LABEL_WIDTH, WIDTH - MARGIN - 40
    values = [v for row in rows for v in row.values if v is not None]
    values += [row.marker for row in rows if row.marker is not None]
    values += [limit.value for limit in limits]
    top = nice_top(max(values, default=Decimal(1)) * Decimal("1.05"))

    def x_of(amount):
        return left + (right - left) * float(Decimal(amount) / top)

    bottom = top_y + body
    for tick in _ticks(top):
        svg.line(x_of(tick), top_y, x_of(tick), bottom, stroke=GRID)
        svg.text(x_of(tick), bottom + 13, write(tick), anchor="middle", size=9)
    svg.text((left + right) / 2, bottom + 30, axis_label, anchor="middle", size=10)
    if legend:
        x = left
        for index, name in enumerate(series):
            svg.rect(x, TITLE_HEIGHT + 2, 10, 10, fill=COLOURS[index % len(COLOURS)])
            svg.text(x + 14, TITLE_HEIGHT + 11, name, size=9)
            x += 16 + 7 * len(name) + 20
        if markers:
            svg.line(x + 5, TITLE_HEIGHT + 1, x + 5, TITLE_HEIGHT + 13, width=2.5)
            svg.text(x + 14, TITLE_HEIGHT + 11, marker_label, size=9)
    if not rows:
        svg.text((left + right) / 2, top_y + body / 2 + 4, empty, anchor="middle", size=10)
    group = body / max(len(rows), 1)
    bar = (group - 4) / max(len(series), 1)
    for index, row in enumerate(rows):
        y = top_y + index * group
        svg.text(left - 6, y + group / 2 + 3.5, row.label, anchor="end", size=9)
        for number, amount in enumerate(row.values):
            if amount is None:
                continue
            bar_y = y + 2 + number * bar
            svg.rect(left, bar_y, x_of(amount) - left, bar - 1, fill=COLOURS[number % 3])
            svg.text(x_of(amount) + 3, bar_y + bar / 2 + 3, value(amount), size=8)
        if row.marker is not None:
            svg.line(x_of(row.marker), y + 1, x_of(row.marker), y + group - 1, width=2.5)
    for limit in limits:
        _limit(svg, x_of(limit.value), top_y - 4, bottom, limit.label, right)
    svg.line(left, top_y, left, bottom)
    svg.line(left, bottom, right, bottom)
    return Chart(key, title, description, svg.markup())


def histogram(
    *,
    key: str,
    title: str,
    description: str,
    bins: list[Bin],
    x_label: str,
    y_label: str,
    limits: list[Limit] = (),
    number_format=None,
    empty: str = "",
) -> Chart:
    """Columns over a numeric axis (each bin from ``low`` to ``high``), counts up the side, and
    a dashed line at each limit."""
    write = number_format or _plain
    top_y = TITLE_HEIGHT + 24  # limit labels, then the top column's count
    height = top_y + PLOT_HEIGHT + AXIS_HEIGHT
    svg = _Svg(key, WIDTH, height, title, description)
    svg.text(MARGIN, 18, title, size=12, weight="600")
    left, right = MARGIN + 44, WIDTH - MARGIN - 10
    bottom = top_y + PLOT_HEIGHT
    lows = [b.low for b in bins] + [limit.value for limit in limits]
    highs = [b.high for b in bins] + [limit.value for limit in limits]
    first, last = min(lows, default=Decimal(0)), max(highs, default=Decimal(1))
    if last <= first:
        last = first + 1
    top = max(nice_top(max((b.count for b in bins), default=1)), Decimal(1))

    def x_of(amount):
        return left + (right - left) * float((Decimal(amount) - first) / (last - first))

    def y_of(count):
        return bottom - PLOT_HEIGHT * float(Decimal(count) / top)

    for tick in _ticks(top, whole=True):
        svg.line(left, y_of(tick), right, y_of(tick), stroke=GRID)
        svg.text(left - 5, y_of(tick) + 3, write(tick), anchor="end", size=9)
    if not bins:
        svg.text((left + right) / 2, top_y + PLOT_HEIGHT / 2, empty, anchor="middle", size=10)
    label_every = max(1, math.ceil(len(bins) / 16))  # edges that still fit under the axis
    for index, each in enumerate(bins):
        x1, x2 = x_of(each.low), x_of(each.high)
        height = bottom - y_of(each.count)
        svg.rect(x1 + 0.5, y_of(each.count), x2 - x1 - 1, height, fill=COLOURS[0])
        if each.count:
            svg.text((x1 + x2) / 2, y_of(each.count) - 3, str(each.count), anchor="middle", size=8)
        if index % label_every == 0:
            svg.text(x1, bottom + 13, write(each.low), anchor="middle", size=9)
    if bins:
        svg.text(x_of(bins[-1].high), bottom + 13, write(bins[-1].high), anchor="middle", size=9)
    for limit in limits:
        _limit(svg, x_of(limit.value), top_y - 14, bottom, limit.label, right)
    svg.line(left, top_y, left, bottom)
    svg.line(left, bottom, right, bottom)
    svg.text((left + right) / 2, bottom + 30, x_label, anchor="middle", size=10)
    middle = top_y + PLOT_HEIGHT / 2
    turned = f' transform="rotate(-90 12 {middle:.1f})"'
    svg.text(12, middle, y_label, anchor="middle", size=10, extra=turned)
    return Chart(key, title, description, svg.markup())
