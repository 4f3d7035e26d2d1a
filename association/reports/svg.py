"""Charts as inline SVG, drawn on the server: no script, no CDN, printable, and each one
paired with a data table in the page for screen readers.

Every text that comes from data is escaped; the SVG itself is hidden from assistive
technology (the table beside it says the same).
"""

from dataclasses import dataclass
from math import cos, pi, sin

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..formatting import display_width, format_number, nice_axis

PALETTE = ["#0b4ea2", "#c8161d", "#2f9e44", "#f08c00", "#7048e8", "#1098ad", "#e64980", "#5c940d"]
FONT = 12


@dataclass
class ChartData:
    kind: str  # bar, line, pie
    categories: list[str]
    series: list[tuple[str, list[float]]]


def _text(x, y, content, *, anchor="start", size=FONT, fill="#333", extra="") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{extra}>'
        f"{escape(content)}</text>"
    )


def _short(label: str, width: int) -> str:
    if display_width(label) <= width:
        return label
    out = ""
    for ch in label:
        if display_width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def _legend(series, x: float, y: float, *, first: int = 0) -> list[str]:
    parts = []
    for i, (name, _values) in enumerate(series, start=first):
        color = PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{color}"/>')
        parts.append(_text(x + 16, y, name))
        x += 16 + display_width(name) * 6.5 + 18
    return parts


def _svg(width: float, height: float, body: list[str], title: str) -> SafeString:
    return mark_safe(  # noqa: S308  (every data text above went through escape())
        f'<svg class="chart-svg" viewBox="0 0 {width:.0f} {height:.0f}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg" aria-hidden="true" focusable="false">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def bar_chart(data: ChartData, title: str) -> SafeString:
    """Horizontal bars: Chinese category names read best down the side."""
    n, k = len(data.categories), len(data.series)
    label_w = min(max(display_width(c) for c in data.categories) * 6.5 + 10, 190)
    width, bar_h, gap = 640, 14 if k > 1 else 18, 10
    band = bar_h * k + gap
    top = 28 if k > 1 else 8
    height = top + n * band + 26
    plot_w = width - label_w - 60
    vmax, step, ticks = nice_axis(max((max(v) for _n, v in data.series), default=0))
    body = _legend(data.series, label_w, 16) if k > 1 else []
    x0 = label_w
    for t in range(ticks + 1):
        x = x0 + plot_w * t / ticks
        body.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{top + n * band}" stroke="#e3e8ef"/>')
        body.append(_text(x, top + n * band + 16, format_number(round(step * t, 2)), anchor="middle", size=11, fill="#666"))
    for i, category in enumerate(data.categories):
        y = top + i * band
        body.append(_text(x0 - 8, y + band / 2 + 1, _short(category, 28), anchor="end", extra=' dominant-baseline="middle"'))
        for s, (_name, values) in enumerate(data.series):
            w = plot_w * values[i] / vmax if vmax else 0
            by = y + gap / 2 + s * bar_h
            body.append(
                f'<rect x="{x0:.1f}" y="{by:.1f}" width="{max(w, 0):.1f}" height="{bar_h - 2}" '
                f'fill="{PALETTE[s % len(PALETTE)]}" rx="2"/>'
            )
            body.append(_text(x0 + max(w, 0) + 4, by + bar_h / 2, format_number(values[i]), size=11, fill="#444",
                              extra=' dominant-baseline="middle"'))
    body.append(f'<line x1="{x0}" y1="{top - 4}" x2="{x0}" y2="{top + n * band}" stroke="#999"/>')
    return _svg(width, height, body, title)


def line_chart(data: ChartData, title: str) -> SafeString:
    """Months along the bottom. Two or more series are drawn as panels one under another, each
    with its own axis: a count (活动场次, up to 5) beside a total (受益人次, in the thousands)
    would otherwise lie flat along zero."""
    n, k = len(data.categories), len(data.series)
    width, left, right, bottom = 640, 64, 16, 44
    plot_w = width - left - right
    head, plot_h = (34, 222) if k == 1 else (30, 116)
    panel = head + plot_h + (0 if k == 1 else 10)
    height = panel * k + bottom

    def x_at(i):
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    body = []
    for s, series in enumerate(data.series):
        top = s * panel + head
        color = PALETTE[s % len(PALETTE)]
        body += _legend([series], left, s * panel + 16, first=s)
        vmax, step, ticks = nice_axis(max(series[1], default=0))
        for t in range(ticks + 1):
            y = top + plot_h - plot_h * t / ticks
            body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#e3e8ef"/>')
            body.append(_text(left - 6, y + 4, format_number(round(step * t, 2)), anchor="end", size=11, fill="#666"))
        points = [(x_at(i), top + plot_h - plot_h * v / vmax) for i, v in enumerate(series[1])]
        body.append(f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in points)}" fill="none" '
                    f'stroke="{color}" stroke-width="2.5"/>')
        body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{color}"/>' for x, y in points]
        body.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#999"/>')

    # Every nth label, so that they never run into each other (twelve "2026年10月" do not fit).
    labels = [_short(c, 10) for c in data.categories]
    widest = max(display_width(label) for label in labels) * 6.5 + 10
    spacing = plot_w / (n - 1) if n > 1 else plot_w
    every = max(1, -(-int(widest) // max(1, int(spacing))))
    for i, label in enumerate(labels):
        if i % every == 0:
            x = x_at(i)
            anchor = "end" if x + widest / 2 > width else "middle"  # the last one stays inside
            body.append(_text(x, height - bottom + 18, label, anchor=anchor, size=11))
    return _svg(width, height, body, title)


def pie_chart(data: ChartData, title: str) -> SafeString:
    values = [max(v, 0) for v in data.series[0][1]]
    total = sum(values)
    n = len(values)
    width, height = 640, max(240, 24 * n + 30)
    cx, cy, r = 120, height / 2, 100
    body = []
    if total <= 0:
        body.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="#e3e8ef"/>')
    angle = -pi / 2
    for i, v in enumerate(values):
        if v <= 0:
            continue
        color = PALETTE[i % len(PALETTE)]
        if v == total:
            body.append(f'<circle cx="{cx}" cy="{cy:.1f}" r="{r}" fill="{color}"/>')
            continue
        sweep = 2 * pi * v / total
        x1, y1 = cx + r * cos(angle), cy + r * sin(angle)
        x2, y2 = cx + r * cos(angle + sweep), cy + r * sin(angle + sweep)
        large = 1 if sweep > pi else 0
        body.append(
            f'<path d="M{cx},{cy:.1f} L{x1:.1f},{y1:.1f} A{r},{r} 0 {large} 1 {x2:.1f},{y2:.1f} Z" '
            f'fill="{color}" stroke="#fff" stroke-width="1.5"/>'
        )
        angle += sweep
    ly = (height - 24 * n) / 2 + 14
    for i, (category, v) in enumerate(zip(data.categories, values, strict=True)):
        y = ly + i * 24
        share = f"{v * 100 / total:.1f}%" if total else "0%"
        body.append(f'<rect x="260" y="{y - 11:.1f}" width="14" height="14" rx="2" fill="{PALETTE[i % len(PALETTE)]}"/>')
        body.append(_text(282, y, f"{_short(category, 24)}  {format_number(v)}（{share}）"))
    return _svg(width, height, body, title)


def render(data: ChartData, title: str) -> SafeString:
    if data.kind == "pie":
        return pie_chart(data, title)
    if data.kind == "line":
        return line_chart(data, title)
    return bar_chart(data, title)
