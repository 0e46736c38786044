"""The assessment charts' SVG renderer (compliance.assessments.svg): no database."""

from decimal import Decimal

from compliance.assessments.svg import Bar, Bin, Limit, bar_chart, histogram, nice_top


def test_axis_ends_on_a_round_number():
    assert [nice_top(Decimal(v)) for v in ("2.52", "0.7", "13", "41", "1")] == [
        Decimal(3),
        Decimal("0.8"),
        Decimal(15),
        Decimal(50),
        Decimal(1),
    ]


def test_bars_with_their_own_floor_have_a_legend_for_it():
    chart = bar_chart(
        key="pay",
        title="Pay",
        description="Two workers.",
        rows=[
            Bar("W-1 · own work", (Decimal("2.10"),), Decimal("2.40")),
            Bar("W-1 · Bakery", (Decimal("7.00"),), Decimal("7.00")),
        ],
        series=["effective pay"],
        axis_label="pay per hour",
        marker_label="floor of the work",
    )

    assert chart.svg.count('stroke-width="2.5"') == 3  # two markers and the legend's
    assert ">floor of the work</text>" in chart.svg
    assert ">W-1 · own work</text>" in chart.svg
    assert 'direction="ltr"' in chart.svg


def test_an_empty_histogram_says_so_and_keeps_its_limit():
    chart = histogram(
        key="hours-day",
        title="Hours per day",
        description="Nothing.",
        bins=[],
        x_label="hours",
        y_label="days",
        limits=[Limit(Decimal(8), "limit 8 h")],
        empty="No work in scope in the period.",
    )

    assert ">No work in scope in the period.</text>" in chart.svg
    assert ">limit 8 h</text>" in chart.svg
    assert "<rect" not in chart.svg


def test_histogram_counts_and_edges():
    chart = histogram(
        key="h",
        title="t",
        description="d",
        bins=[Bin(Decimal(0), Decimal(4), 0), Bin(Decimal(4), Decimal(8), 3)],
        x_label="x",
        y_label="y",
    )

    assert chart.svg.count("<rect") == 2
    assert ">3</text>" in chart.svg  # the count above its column
    assert ">8</text>" in chart.svg  # the last edge
