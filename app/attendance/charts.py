"""Bar charts drawn on the server as SVG: no script, readable without colour, titled for screen readers."""

from __future__ import annotations

from itertools import count

from markupsafe import Markup, escape

WIDTH = 520
LABEL_WIDTH = 215
VALUE_WIDTH = 64
BAR_HEIGHT = 22
GAP = 8
_ids = count(1)


def _format(value: float | None, percent: bool) -> str:
    if value is None:
        return "—"
    if percent:
        return f"{value * 100:.1f}%"
    return f"{value:g}" if isinstance(value, float) else str(value)


def bar_chart(title: str, bars: list[tuple[str, float | None]], percent: bool = False) -> Markup:
    """Horizontal bars, one a label; `percent` reads values as fractions of 1 and scales to 100%."""
    chart_id = f"chart-{next(_ids)}"
    values = [v or 0 for _label, v in bars]
    top = 1.0 if percent else max(values + [0]) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = max(len(bars), 1) * (BAR_HEIGHT + GAP) + GAP
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}">{escape(title)}</title>',
    ]
    for row, (label, value) in enumerate(bars):
        y = GAP + row * (BAR_HEIGHT + GAP)
        length = 0 if not value else max(1, round(span * min(value, top) / top))
        text_y = y + BAR_HEIGHT - 6
        parts += [
            f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{text_y}" text-anchor="end">{escape(label)}</text>',
            f'<rect class="chart-bar" x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}"/>',
            f'<text class="chart-value" x="{LABEL_WIDTH + length + 6}" y="{text_y}">'
            f"{escape(_format(value, percent))}</text>",
        ]
    if not bars:
        parts.append(f'<text class="chart-label" x="8" y="{BAR_HEIGHT}">—</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
