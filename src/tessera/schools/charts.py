"""A line chart as numbers: the one chart of the project, drawn by ``includes/line_chart.svg.html``.

:func:`line_chart` scales data points (and an optional aim line) into an SVG box and returns what the
template draws: coordinates, axis ticks with their labels, and a sentence saying the trend in words (the
chart's ``<desc>``). It is pure (no database); ``schools`` is the bottom Django layer, so every app can
use it (progress monitoring, the cockpit, the mosaic).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from django.utils.translation import gettext as _

X = datetime.date | float | int
WIDTH, HEIGHT = 600, 300
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 48, 16, 16, 40
MAX_X_TICKS = 6


@dataclass(frozen=True)
class Tick:
    at: float  # the pixel position along its axis
    label: str


@dataclass(frozen=True)
class PlotPoint:
    x: float
    y: float
    label: str  # the x value in words (a date as YYYY-MM-DD)
    value: float
    value_text: str
    aim: float | None
    aim_text: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    points: list[PlotPoint]
    line: str  # the data as SVG polyline points ("x,y x,y …")
    aim_line: str  # the aim as SVG polyline points, "" without an aim
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    summary: str

    @property
    def empty(self) -> bool:
        return not self.points


def _number(x: X) -> float:
    return float(x.toordinal()) if isinstance(x, datetime.date) else float(x)


def _label(x: X) -> str:
    return x.isoformat() if isinstance(x, datetime.date) else fmt(float(x))


def fmt(value: float) -> str:
    """A value as people read it: no trailing zeros, at most two decimals."""
    return f"{round(value, 2):g}"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (steps of 1, 2 or 5 times a power of ten) covering ``low`` to ``high``."""
    if high < low:
        low, high = high, low
    if math.isclose(low, high):
        low, high = (low - 1, high + 1) if low else (0.0, 1.0)
    raw = (high - low) / max(1, count)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    start = math.floor(low / step + 1e-9) * step
    ticks: list[float] = []
    value = start
    while value < high + step * 1e-9 or not ticks:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 10))
    return ticks


def _aim_at(aim: list[tuple[float, float]], x: float) -> float | None:
    """The aim line's value at ``x`` (straight between its points, flat beyond its ends)."""
    if not aim:
        return None
    if x <= aim[0][0]:
        return aim[0][1]
    for (x0, y0), (x1, y1) in pairwise(aim):
        if x0 <= x <= x1:
            return y0 if x1 == x0 else y0 + (x - x0) / (x1 - x0) * (y1 - y0)
    return aim[-1][1]


def _summary(points: list[PlotPoint], unit: str) -> str:
    if not points:
        return _("No data points yet.")
    first, last = points[0], points[-1]
    if len(points) == 1:
        text = _("One data point: %(value)s%(unit)s on %(label)s.") % {
            "value": first.value_text,
            "unit": unit,
            "label": first.label,
        }
    else:
        change = last.value - first.value
        if math.isclose(change, 0, abs_tol=1e-9):
            trend = _("no change")
        elif change > 0:
            trend = _("up %(change)s%(unit)s") % {"change": fmt(change), "unit": unit}
        else:
            trend = _("down %(change)s%(unit)s") % {"change": fmt(-change), "unit": unit}
        text = _(
            "%(count)s data points from %(first)s to %(last)s: from %(start)s%(unit)s to %(end)s%(unit)s "
            "(%(trend)s)."
        ) % {
            "count": len(points),
            "first": first.label,
            "last": last.label,
            "start": first.value_text,
            "end": last.value_text,
            "unit": unit,
            "trend": trend,
        }
    if last.aim is not None:
        gap = last.value - last.aim
        if math.isclose(gap, 0, abs_tol=0.005):
            text += " " + _("The latest is on the aim line.")
        elif gap > 0:
            text += " " + _("The latest is %(gap)s%(unit)s above the aim line (%(aim)s%(unit)s).") % {
                "gap": fmt(gap),
                "unit": unit,
                "aim": last.aim_text,
            }
        else:
            text += " " + _("The latest is %(gap)s%(unit)s below the aim line (%(aim)s%(unit)s).") % {
                "gap": fmt(-gap),
                "unit": unit,
                "aim": last.aim_text,
            }
    return text


def line_chart(
    points: Sequence[tuple[X, float]],
    aim: Sequence[tuple[X, float]] = (),
    *,
    unit: str = "",
    width: int = WIDTH,
    height: int = HEIGHT,
) -> LineChart:
    """Scale ``points`` (x, value), oldest first, and the ``aim`` line (its corner points) into a
    ``width`` by ``height`` box; x is a date or a number, and the x axis covers both the data and the aim."""
    data = sorted(((_number(x), float(v), _label(x)) for x, v in points), key=lambda p: p[0])
    aim_line = sorted((_number(x), float(v)) for x, v in aim)
    left, right = float(MARGIN_LEFT), float(width - MARGIN_RIGHT)
    top, bottom = float(MARGIN_TOP), float(height - MARGIN_BOTTOM)

    xs = [p[0] for p in data] + [a[0] for a in aim_line]
    values = [p[1] for p in data] + [a[1] for a in aim_line]
    x_low, x_high = (min(xs), max(xs)) if xs else (0.0, 1.0)
    y_ticks_values = nice_ticks(min(values), max(values)) if values else nice_ticks(0, 100)
    y_low, y_high = y_ticks_values[0], y_ticks_values[-1]

    def sx(x: float) -> float:
        if x_high == x_low:
            return round((left + right) / 2, 1)
        return round(left + (x - x_low) / (x_high - x_low) * (right - left), 1)

    def sy(v: float) -> float:
        return round(bottom - (v - y_low) / (y_high - y_low) * (bottom - top), 1)

    plotted = []
    for x, value, label in data:
        aim_value = _aim_at(aim_line, x)
        plotted.append(
            PlotPoint(
                x=sx(x),
                y=sy(value),
                label=label,
                value=value,
                value_text=fmt(value),
                aim=None if aim_value is None else round(aim_value, 2),
                aim_text="" if aim_value is None else fmt(aim_value),
            )
        )

    x_ticks: list[Tick] = []
    if data:
        chosen = data
        if len(data) > MAX_X_TICKS:
            step = (len(data) - 1) / (MAX_X_TICKS - 1)
            chosen = [data[round(i * step)] for i in range(MAX_X_TICKS)]
        x_ticks = [Tick(sx(x), label) for x, _value, label in chosen]

    return LineChart(
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        points=plotted,
        line=" ".join(f"{p.x:g},{p.y:g}" for p in plotted),
        aim_line=" ".join(f"{sx(x):g},{sy(v):g}" for x, v in aim_line),
        y_ticks=[Tick(sy(v), fmt(v)) for v in y_ticks_values],
        x_ticks=x_ticks,
        summary=_summary(plotted, unit),
    )
