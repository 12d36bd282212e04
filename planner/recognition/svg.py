"""PURE: trend charts as inline SVG (no JavaScript, no CDN). Values in, markup out.

Each chart is an image with a <title> and a <desc> that states every value, so screen readers get
the numbers; the scorecard table beside it is the full text alternative."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from planner.i18n import _

WIDTH, HEIGHT = 320, 150
# Presentation attributes, so the chart reads right even where the stylesheet is missing.
INK, MUTED, LINE = "#1f5fbf", "#5b6472", "#c9ced6"
TICK = f'class="tick" font-size="10" fill="{MUTED}"'
STROKE = f'fill="none" stroke="{INK}" stroke-width="2"'
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 14, 28


def _fmt(value: float) -> str:
    """A number without trailing zeros."""
    return f"{value:g}"


def _scale(values: Sequence[float], low: float, high: float) -> tuple[float, float]:
    """The y range: the data's range padded a little, kept inside the metric's valid range."""
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.15 or max(abs(hi) * 0.1, 1.0)
    return max(low, lo - pad), min(high, hi + pad)


def trend_chart(
    chart_id: str,
    title: str,
    unit: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    low: float,
    high: float,
) -> Markup:
    """An SVG line chart of one metric over months; gaps where a month has no value."""
    if len(labels) != len(values):
        raise ValueError("one label per value")
    known = [v for v in values if v is not None]
    suffix = f" {unit}" if unit and unit != "%" else unit
    missing = _("no value")
    described = ", ".join(
        f"{label}: {missing if v is None else _fmt(v) + suffix}"
        for label, v in zip(labels, values, strict=True)
    )
    parts = [
        f'<svg class="trend" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' width="{WIDTH}" height="{HEIGHT}" role="img"'
        f' aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d">',
        f'<title id="{escape(chart_id)}-t">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-d">{escape(described or "No values yet.")}</desc>',
        f'<line class="axis" stroke="{LINE}" x1="{LEFT}" y1="{HEIGHT - BOTTOM}"'
        f' x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}"/>',
    ]
    if not known:
        parts.append(f'<text {TICK} x="{LEFT}" y="{HEIGHT // 2}">No values yet</text></svg>')
        return Markup("".join(parts))
    y_low, y_high = _scale(known, low, high)
    span_x = (WIDTH - LEFT - RIGHT) / max(len(values) - 1, 1)

    def x_at(index: int) -> float:
        return LEFT + index * span_x if len(values) > 1 else (LEFT + WIDTH - RIGHT) / 2

    def y_at(value: float) -> float:
        ratio = (value - y_low) / (y_high - y_low) if y_high > y_low else 0.5
        return TOP + (1 - ratio) * (HEIGHT - TOP - BOTTOM)

    # Label the lowest and highest value itself, not the padded edges of the plot.
    for y_value in sorted({min(known), max(known)}):
        parts.append(
            f'<text {TICK} x="{LEFT - 4}" y="{y_at(y_value) + 4:.1f}"'
            f' text-anchor="end">{escape(_fmt(y_value))}</text>'
        )
    # A line per run of consecutive months with values: a missing month breaks the line.
    run: list[str] = []
    for index, value in [*enumerate(values), (len(values), None)]:
        if value is None:
            if len(run) > 1:
                parts.append(f'<polyline class="line" {STROKE} points="{" ".join(run)}"/>')
            run = []
        else:
            run.append(f"{x_at(index):.1f},{y_at(value):.1f}")
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        if value is not None:
            parts.append(
                f'<circle class="point" fill="{INK}" cx="{x_at(index):.1f}"'
                f' cy="{y_at(value):.1f}" r="3.5">'
                f"<title>{escape(label)}: {escape(_fmt(value) + suffix)}</title></circle>"
            )
    parts.append(
        f'<text {TICK} x="{LEFT}" y="{HEIGHT - 8}">{escape(labels[0])}</text>'
        f'<text {TICK} x="{WIDTH - RIGHT}" y="{HEIGHT - 8}" text-anchor="end">'
        f"{escape(labels[-1])}</text></svg>"
    )
    return Markup("".join(parts))
