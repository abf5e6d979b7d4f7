"""Inline SVG plots for the HTML report: horizontal bars with interval whiskers, and line overlays.

Every label and attribute goes through ``html.escape`` in ``_tag``/``_text``, so nothing from the
report reaches the markup unescaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

ROW = 22
LABEL_W = 300
PLOT_W = 360
PALETTE = ("#1b6ca8", "#d1495b", "#2a9d8f", "#e9a23b", "#6a4c93", "#8d99ae")


def _attrs(attrs: Mapping[str, Any]) -> str:
    return " ".join(f'{k.rstrip("_").replace("_", "-")}="{escape(_fmt(v))}"' for k, v in attrs.items())


def _fmt(value: Any) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _tag(name: str, **attrs: Any) -> str:
    return f"<{name} {_attrs(attrs)}/>"


def _text(content: str, **attrs: Any) -> str:
    return f"<text {_attrs(attrs)}>{escape(content)}</text>"


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    )


def bar_chart(rows: Sequence[Mapping[str, Any]], *, title: str, low: float = -1.0, high: float = 1.0) -> str:
    """rows: {"label", "value" (float|None), "low"/"high" (interval, optional)}; None is written as text."""
    if not rows:
        return ""
    numbers = [r[k] for r in rows for k in ("value", "low", "high") if r.get(k) is not None]
    lo, hi = min([low, *numbers]), max([high, *numbers])
    span = hi - lo or 1.0

    def x(v: float) -> float:
        return LABEL_W + (v - lo) / span * PLOT_W

    height = ROW * len(rows) + 30
    parts = [
        _open(LABEL_W + PLOT_W + 70, height, title),
        _tag("line", x1=x(0), y1=0, x2=x(0), y2=height - 20, stroke="#888"),
    ]
    for i, row in enumerate(rows):
        y = i * ROW + 4
        parts.append(
            _text(_short(str(row["label"])), x=LABEL_W - 6, y=y + 13, text_anchor="end", font_size=12)
        )
        value = row.get("value")
        if value is None:
            parts.append(_text("undefined", x=x(0) + 4, y=y + 13, font_size=12, fill="#888"))
            continue
        left, right = sorted((x(0), x(value)))
        parts.append(
            _tag("rect", x=left, y=y + 2, width=max(right - left, 1.0), height=ROW - 8, fill=PALETTE[0])
        )
        if row.get("low") is not None and row.get("high") is not None:
            a, b, mid = x(row["low"]), x(row["high"]), y + ROW / 2 - 2
            parts.append(_tag("line", x1=a, y1=mid, x2=b, y2=mid, stroke="#222"))
            parts += [_tag("line", x1=p, y1=mid - 5, x2=p, y2=mid + 5, stroke="#222") for p in (a, b)]
            right = max(right, b)
        parts.append(_text(f"{value:.3f}", x=right + 4, y=y + 13, font_size=11))
    parts.append(_text(f"{lo:.2f}", x=x(lo), y=height - 8, font_size=10))
    parts.append(_text(f"{hi:.2f}", x=x(hi), y=height - 8, font_size=10, text_anchor="end"))
    return "".join(parts) + "</svg>"


def line_chart(times: Sequence[float], series: Mapping[str, Sequence[float | None]], *, title: str) -> str:
    """Several series over shared times (None = gap), the last one drawn thicker (the consensus)."""
    finite = [v for s in series.values() for v in s if v is not None]
    if not times or not finite:
        return ""
    width, height, pad = 640, 220, 30
    t0, t1, v0, v1 = min(times), max(times), min(finite), max(finite)
    ts, vs = (t1 - t0) or 1.0, (v1 - v0) or 1.0

    def point(t: float, v: float) -> str:
        px = pad + (t - t0) / ts * (width - 2 * pad)
        py = height - pad - (v - v0) / vs * (height - 2 * pad)
        return f"{px:.1f},{py:.1f}"

    parts = [
        _open(width, height + 20 * len(series), title),
        _tag(
            "rect", x=pad, y=pad, width=width - 2 * pad, height=height - 2 * pad, fill="none", stroke="#ccc"
        ),
    ]
    for k, (name, values) in enumerate(series.items()):
        colour = PALETTE[k % len(PALETTE)]
        thick = 3 if k == len(series) - 1 else 1.2
        for run in _runs(times, values):
            points = " ".join(point(t, v) for t, v in run)
            parts.append(_tag("polyline", fill="none", stroke=colour, stroke_width=thick, points=points))
        parts.append(_text(str(name), x=pad, y=height + 14 + 20 * k, font_size=12, fill=colour))
    parts.append(_text(f"{v1:.2f}", x=pad, y=pad - 8, font_size=10))
    parts.append(_text(f"{v0:.2f} (t = {t0:g}..{t1:g} s)", x=pad, y=height - pad + 12, font_size=10))
    return "".join(parts) + "</svg>"


def _short(label: str, limit: int = 46) -> str:
    """Labels longer than the label column are cut with an ellipsis (the tables carry them in full)."""
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _runs(times: Sequence[float], values: Sequence[float | None]) -> list[list[tuple[float, float]]]:
    runs: list[list[tuple[float, float]]] = [[]]
    for t, v in zip(times, values, strict=False):
        if v is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((t, v))
    return [r for r in runs if len(r) > 1]
