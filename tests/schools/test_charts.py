"""The project's line chart: scaling, ticks, empty data, one point; the SVG and its table say the same."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string

from tessera.schools.charts import (
    HEIGHT,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_TOP,
    WIDTH,
    line_chart,
    nice_ticks,
)

D = datetime.date(2026, 9, 1)


def test_points_are_scaled_into_the_box_and_the_aim_line_sets_the_x_range() -> None:
    chart = line_chart(
        [(D + datetime.timedelta(days=10), 40), (D + datetime.timedelta(days=20), 60)],
        [(D, 0), (D + datetime.timedelta(days=40), 100)],
    )
    left, right = MARGIN_LEFT, WIDTH - 16
    first, second = chart.points
    assert first.x == left + (right - left) * 10 / 40
    assert second.x == left + (right - left) * 20 / 40
    assert first.y == pytest.approx(
        HEIGHT - MARGIN_BOTTOM - (HEIGHT - MARGIN_BOTTOM - MARGIN_TOP) * 0.4, abs=0.1
    )
    assert first.aim == 25 and second.aim == 50, "the aim line's value at each point"
    assert chart.aim_line.split()[0] == f"{left:g},{HEIGHT - MARGIN_BOTTOM:g}"
    assert [t.label for t in chart.y_ticks] == ["0", "20", "40", "60", "80", "100"]
    assert [t.label for t in chart.x_ticks] == ["2026-09-11", "2026-09-21"]
    assert "from 40 to 60 (up 20)" in chart.summary
    assert "10 above the aim line" in chart.summary


def test_nice_ticks_cover_the_range_in_round_steps() -> None:
    assert nice_ticks(3, 47) == [0, 10, 20, 30, 40, 50]
    assert nice_ticks(0.2, 0.9) == [0.2, 0.4, 0.6, 0.8, 1.0]
    assert nice_ticks(5, 5) == [4, 4.5, 5, 5.5, 6]


def test_an_empty_chart_says_so() -> None:
    chart = line_chart([])
    assert chart.empty and chart.line == "" and chart.x_ticks == []
    assert chart.summary == "No data points yet."
    html = render_to_string(
        "includes/line_chart.svg.html", {"chart": chart, "chart_id": "c", "title": "T", "value_heading": "V"}
    )
    assert "No data points yet." in html and "<table" not in html


def test_one_point_sits_in_the_middle() -> None:
    chart = line_chart([(D, 55)])
    (point,) = chart.points
    assert point.x == (MARGIN_LEFT + WIDTH - 16) / 2
    assert chart.y_ticks[0].label <= "55" <= chart.y_ticks[-1].label or len(chart.y_ticks) > 1
    assert chart.summary == "One data point: 55 on 2026-09-01."


def test_many_points_keep_at_most_six_x_labels() -> None:
    chart = line_chart([(D + datetime.timedelta(days=i), i) for i in range(20)])
    assert len(chart.x_ticks) == 6
    assert chart.x_ticks[0].label == "2026-09-01" and chart.x_ticks[-1].label == "2026-09-20"


def test_the_svg_has_a_title_and_desc_and_the_table_the_same_values() -> None:
    chart = line_chart(
        [(D, 40), (D + datetime.timedelta(days=7), 47.5)], [(D, 40), (D + datetime.timedelta(days=14), 60)]
    )
    html = render_to_string(
        "includes/line_chart.svg.html",
        {
            "chart": chart,
            "chart_id": "progress",
            "title": "Reading progress",
            "value_heading": "Measured (%)",
            "csv_url": "/data.csv",
        },
    )
    assert 'role="img"' in html
    assert '<title id="progress-title">Reading progress</title>' in html
    assert f'<desc id="progress-desc">{chart.summary}</desc>' in html
    assert 'class="aim"' in html and 'class="point"' in html
    assert "<caption>Reading progress</caption>" in html
    assert '<th scope="row">2026-09-01</th><td>40</td><td>40</td>' in html
    assert '<th scope="row">2026-09-08</th><td>47.5</td><td>50</td>' in html
    assert 'href="/data.csv"' in html
