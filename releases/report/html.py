"""``render_report_html``: the report as one self-contained HTML page (inline CSS and SVG, no scripts).

The page ships inside the release folder and may be opened from any disk, so it loads nothing and runs
nothing; field labels, class names and annotator ids come from users and are escaped everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from releases.report.svg import bar_chart, line_chart

STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1rem}
td,th{border:1px solid #ccc;padding:.2rem .5rem;font-size:.9rem}
th{background:#f2f2f2;text-align:left}.undefined{color:#777;font-style:italic}.num{text-align:right}
section{border-top:2px solid #1b6ca8;margin-top:2rem}.notes li{margin:.2rem 0}
"""
MAX_ITEMS_SHOWN = 20


def render_report_html(report: Mapping[str, Any]) -> str:
    counts = report.get("counts", {})
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>Agreement report</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Agreement report</h1>",
        f"<p>{_e(report.get('format', ''))}; seed {_e(report.get('seed'))}, "
        f"{_e(report.get('n_resamples'))} bootstrap resamples. Items: {_e(counts.get('items', 0))}, "
        f"annotators: {_e(counts.get('annotators', 0))}, "
        f"annotations: {_e(counts.get('annotations', 0))}.</p>",
        _list(report.get("notes", []), "notes"),
    ]
    fields = report.get("fields", [])
    if fields:
        parts.append(_overview(fields))
    parts += [_field(f) for f in fields]
    parts.append("</body></html>")
    return "\n".join(parts)


def _e(value: Any) -> str:
    return escape("" if value is None else str(value))


def _list(entries: Sequence[Any], css: str) -> str:
    if not entries:
        return ""
    return f'<ul class="{css}">' + "".join(f"<li>{_e(e)}</li>" for e in entries) + "</ul>"


def _row(cells: Sequence[str]) -> str:
    """A table row of cells that are already escaped HTML."""
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _number(value: Any, reason: Any = None) -> str:
    if value is None:
        return f'<span class="undefined">undefined, because {_e(reason)}</span>' if reason else "&ndash;"
    return f"{value:.3f}" if isinstance(value, float) else _e(value)


def _overview(fields: Sequence[Mapping[str, Any]]) -> str:
    """The headline measure of every field (its first), with its interval."""
    rows = []
    for field in fields:
        measures = field.get("measures") or []
        if measures:
            rows.append(_bar_row(f"{field.get('label')} — {measures[0].get('measure')}", measures[0]))
    return "<h2>Agreement per field</h2>" + bar_chart(rows, title="Agreement per field with 95% intervals")


def _bar_row(label: str, measure: Mapping[str, Any]) -> dict[str, Any]:
    ci = measure.get("ci") or {}
    return {"label": label, "value": measure.get("value"), "low": ci.get("low"), "high": ci.get("high")}


def _field(field: Mapping[str, Any]) -> str:
    level = field.get("level") or "n/a"
    title = f"{field.get('label')} ({field.get('name')}: {field.get('kind')}, level {level})"
    aggregation = field.get("aggregation") or {}
    parts = [
        "<section>",
        f"<h2>{_e(title)}</h2>",
        _list(field.get("notes", []), "notes"),
        f"<p><strong>Aggregation:</strong> {_e(aggregation.get('method'))}. "
        f"{_e(aggregation.get('description'))}</p>",
        _measures_table(field.get("measures", [])),
        bar_chart(
            [_bar_row(str(m.get("measure")), m) for m in field.get("measures", [])],
            title=f"{title}: measures",
        ),
        _annotators(field.get("per_annotator", []), title),
        _confusion(field.get("confusion")),
        _overlay(field.get("trace_overlay")),
        _items(field.get("per_item", [])),
        _quality(field.get("prelabel_quality", [])),
        "</section>",
    ]
    return "\n".join(p for p in parts if p)


def _measures_table(measures: Sequence[Mapping[str, Any]]) -> str:
    if not measures:
        return ""
    head = "<tr><th>measure</th><th>value</th><th>95% interval</th><th>observed</th><th>chance</th>"
    head += "<th>basis</th><th>items</th><th>annotators</th></tr>"
    rows = []
    for m in measures:
        ci = m.get("ci")
        interval = f"{ci['low']:.3f} – {ci['high']:.3f}" if ci else _e(m.get("ci_undefined_reason") or "")
        cells = [_e(m.get("measure")), _number(m.get("value"), m.get("undefined_reason")), interval]
        cells += [_number(m.get("observed")), _number(m.get("expected")), _e(m.get("basis"))]
        rows.append(_row([*cells, _e(m.get("n_items")), _e(m.get("n_annotators"))]))
    return "<h3>Measures</h3><table>" + head + "".join(rows) + "</table>"


def _annotators(rows: Sequence[Mapping[str, Any]], title: str) -> str:
    if not rows:
        return ""
    table = "".join(
        _row(
            [
                _e(r.get("annotator")),
                _e(r.get("measure")),
                _e(r.get("n_items")),
                _number(r.get("value"), r.get("undefined_reason")),
            ]
        )
        for r in rows
    )
    bars = [{"label": f"{r.get('annotator')} {r.get('measure')}", "value": r.get("value")} for r in rows]
    return (
        "<h3>Per annotator</h3>"
        + bar_chart(bars, title=f"{title}: per annotator")
        + "<table><tr><th>annotator</th><th>measure</th><th>items</th><th>value</th></tr>"
        + table
        + "</table>"
    )


def _confusion(confusion: Mapping[str, Any] | None) -> str:
    if not confusion:
        return ""
    classes = confusion.get("classes", [])
    head = "<tr><th></th>" + "".join(f"<th>{_e(c)}</th>" for c in classes) + "</tr>"
    body = "".join(
        f"<tr><th>{_e(c)}</th>" + "".join(f"<td class=num>{_e(n)}</td>" for n in row) + "</tr>"
        for c, row in zip(classes, confusion.get("matrix", []), strict=False)
    )
    basis = f" ({_e(confusion.get('basis'))})" if confusion.get("basis") else ""
    return f"<h3>Confusion, pooled over annotator pairs{basis}</h3><table>{head}{body}</table>"


def _overlay(overlay: Mapping[str, Any] | None) -> str:
    if not overlay:
        return ""
    series = {**overlay.get("series", {}), "consensus (mean)": overlay.get("consensus", [])}
    title = f"Traces of item {overlay.get('item_id')} ({overlay.get('dimension', '')})"
    return f"<h3>{_e(title)}</h3>" + line_chart(overlay.get("times", []), series, title=title)


def _items(rows: Sequence[Mapping[str, Any]]) -> str:
    shown = [r for r in rows if r.get("ambiguity") is not None][:MAX_ITEMS_SHOWN]
    if not shown:
        return ""
    body = "".join(
        f"<tr><td>{_e(r.get('item_id'))}</td><td class=num>{r['ambiguity']:.3f}</td>"
        f"<td class=num>{_e(r.get('n_annotations'))}</td></tr>"
        for r in shown
    )
    return (
        "<h3>Most ambiguous items</h3><table><tr><th>item</th><th>ambiguity</th><th>annotations</th></tr>"
        + body
        + "</table>"
    )


def _quality(rows: Sequence[Mapping[str, Any]]) -> str:
    if not rows:
        return ""
    body = "".join(
        _row(
            [
                f"{_e(r.get('prelabeler'))} {_e(r.get('version'))}",
                _e(r.get("measure")),
                _number(r.get("value"), r.get("undefined_reason")),
                _e(r.get("n_items")),
            ]
        )
        for r in rows
    )
    head = "<tr><th>pre-labeler</th><th>measure</th><th>value</th><th>items</th></tr>"
    return "<h3>Pre-labels against the consensus</h3><table>" + head + body + "</table>"
