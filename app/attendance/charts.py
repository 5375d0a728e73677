"""Bar charts drawn on the server: each row's label and value are page text (readable at any size,
on a phone and a projector), each bar a small SVG; every bar names its series in words, so nothing
is told by colour alone. The chart is a picture of the table printed under it, which screen
readers read instead (the chart is hidden from them)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from app.attendance.labels import percent


@dataclass
class Chart:
    title: str
    series: list[str]  # the names of the bars of each group
    groups: list[tuple[str, list[float | None]]]  # (label, one value a series)
    percent: bool = False


def _value(value: float | None, is_percent: bool) -> str:
    if is_percent:
        return percent(value)
    if value is None:
        return "—"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _bar(name: str, value: float | None, top: float, number: int, is_percent: bool) -> str:
    length = 0 if not value else max(0.5, round(100 * min(value, top) / top, 1))
    return (
        f'<div class="chart-row"><span class="chart-series">{escape(name)}</span>'
        f'<svg class="chart-track" viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false">'
        f'<rect class="chart-bar series-{number}" width="{length}" height="10"/></svg>'
        f'<span class="chart-value">{escape(_value(value, is_percent))}</span></div>'
    )


def render(chart: Chart) -> Markup:
    values = [v or 0 for _label, row in chart.groups for v in row]
    top = 1.0 if chart.percent else (max(values + [0]) or 1)
    parts = ['<div class="chart" aria-hidden="true">']
    for label, row in chart.groups:
        parts.append(f'<div class="chart-group"><p class="chart-group-label">{escape(label)}</p>')
        parts += [
            _bar(name, value, top, n, chart.percent)
            for n, (name, value) in enumerate(zip(chart.series, row, strict=True))
        ]
        parts.append("</div>")
    if not chart.groups:
        parts.append('<p class="chart-group-label">—</p>')
    parts.append("</div>")
    return Markup("".join(parts))
