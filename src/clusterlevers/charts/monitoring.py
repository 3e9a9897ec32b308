"""KPI trends per cluster against targets, and an event-study plot, as inline SVG strings."""

from __future__ import annotations

import math
from collections.abc import Mapping
from html import escape
from typing import Any

import pandas as pd

W, H = 640, 360
ML, MR, MT, MB = 64, 150, 40, 44
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22")
MAX_COLOURED = 10


def _nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if not math.isfinite(lo) or not math.isfinite(hi):
        return [0.0, 1.0]
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0)
    step = 10 ** math.floor(math.log10((hi - lo) / n))
    for m in (1, 2, 2.5, 5, 10):
        if (hi - lo) / (step * m) <= n:
            step *= m
            break
    start = math.floor(lo / step) * step
    ticks, v = [], start
    while v <= hi + step * 1e-9:
        ticks.append(round(v, 12))
        v += step
    return ticks


def _fmt(v: float) -> str:
    if v == 0:
        return "0"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.3g}"


def _targets_by_cluster(targets: Any, clusters: list[str]) -> tuple[dict[str, float], str]:
    """Accept a number, {"value", "direction"} (a logic-model KPI target) or {cluster_id: number}."""
    if targets is None:
        return {}, ""
    if isinstance(targets, (int, float)) and not isinstance(targets, bool):
        return {"*": float(targets)}, ""
    if isinstance(targets, Mapping):
        if "value" in targets:
            v = targets.get("value")
            direction = str(targets.get("direction", ""))
            return ({} if v is None else {"*": float(v)}), direction
        return {str(k): float(v) for k, v in targets.items() if v is not None}, ""
    raise TypeError("targets must be a number, a {'value', 'direction'} mapping or a {cluster_id: value} mapping")


def monitoring_chart(panel: pd.DataFrame, kpi: str, targets: Any = None, *, title: str | None = None) -> str:
    """SVG line chart of one KPI per cluster over the years, with target lines (dashed).

    ``targets``: None, a number (one target for all clusters), a logic-model target
    ``{"value": .., "direction": "at_least"|"at_most"|"about"}``, or ``{cluster_id: value}``.
    """
    from ..domain.evaluation.monitoring import kpi_series, monitoring_kpis

    table = kpi_series(panel, kpi)
    meta = {k.id: k for k in monitoring_kpis(panel)}[kpi]
    clusters = [str(c) for c in table.columns]
    tmap, direction = _targets_by_cluster(targets, clusters)
    years = [int(y) for y in table.index]
    vals = [float(v) for v in table.to_numpy().ravel() if pd.notna(v)] + list(tmap.values())
    lo = min(0.0, min(vals)) if vals else 0.0
    hi = max(vals) if vals else 1.0
    ticks = _nice_ticks(lo, hi)
    y0, y1 = ticks[0], ticks[-1] if ticks[-1] > ticks[0] else ticks[0] + 1
    x0, x1 = (min(years), max(years)) if years else (0, 1)
    if x1 == x0:
        x1 = x0 + 1
    pw, ph = W - ML - MR, H - MT - MB

    def sx(x: float) -> float:
        return ML + (x - x0) / (x1 - x0) * pw

    def sy(y: float) -> float:
        return MT + ph - (y - y0) / (y1 - y0) * ph

    head = title or f"{meta.name} ({meta.unit})"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" '
           f'role="img" aria-label="{escape(head)}" font-family="sans-serif" font-size="11">',
           f"<title>{escape(head)}</title>",
           f'<rect x="0" y="0" width="{W}" height="{H}" fill="#ffffff"/>',
           f'<text x="{ML}" y="20" font-size="13" font-weight="bold">{escape(head)}</text>']
    for t in ticks:
        y = sy(t)
        out.append(f'<line x1="{ML}" y1="{y:.1f}" x2="{ML + pw}" y2="{y:.1f}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{ML - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(_fmt(t))}</text>')
    step = max(1, math.ceil(len(years) / 10))
    for yr in years[::step]:
        x = sx(yr)
        out.append(f'<text x="{x:.1f}" y="{MT + ph + 16}" text-anchor="middle">{yr}</text>')
    out.append(f'<line x1="{ML}" y1="{MT + ph}" x2="{ML + pw}" y2="{MT + ph}" stroke="#333"/>')
    out.append(f'<line x1="{ML}" y1="{MT}" x2="{ML}" y2="{MT + ph}" stroke="#333"/>')
    many = len(clusters) > MAX_COLOURED
    legend_y = MT
    for i, c in enumerate(clusters):
        s = table[table.columns[i]].dropna()
        colour = "#9aa7b4" if many else PALETTE[i % len(PALETTE)]
        pts = " ".join(f"{sx(int(x)):.1f},{sy(float(v)):.1f}" for x, v in s.items())
        if len(s) >= 2:
            out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="1.8">'
                       f"<title>{escape(c)}</title></polyline>")
        for x, v in s.items():
            out.append(f'<circle cx="{sx(int(x)):.1f}" cy="{sy(float(v)):.1f}" r="2.5" fill="{colour}">'
                       f"<title>{escape(c)} {int(x)}: {escape(_fmt(float(v)))}</title></circle>")
        tc = tmap.get(c)
        if tc is not None:
            out.append(f'<line x1="{ML}" y1="{sy(tc):.1f}" x2="{ML + pw}" y2="{sy(tc):.1f}" stroke="{colour}" '
                       f'stroke-dasharray="5,4" stroke-width="1.2"/>')
        if not many:
            out.append(f'<line x1="{ML + pw + 12}" y1="{legend_y + 4}" x2="{ML + pw + 30}" y2="{legend_y + 4}" '
                       f'stroke="{colour}" stroke-width="2"/>')
            out.append(f'<text x="{ML + pw + 34}" y="{legend_y + 8}">{escape(c[:18])}</text>')
            legend_y += 16
    if many:
        med = table.median(axis=1).dropna()
        pts = " ".join(f"{sx(int(x)):.1f},{sy(float(v)):.1f}" for x, v in med.items())
        out.append(f'<polyline points="{pts}" fill="none" stroke="#1f77b4" stroke-width="2.5"/>')
        out.append(f'<text x="{ML + pw + 12}" y="{legend_y + 8}">median of {len(clusters)} clusters</text>')
        legend_y += 16
    if "*" in tmap:
        t = tmap["*"]
        label = {"at_least": "target (at least)", "at_most": "target (at most)"}.get(direction, "target")
        out.append(f'<line x1="{ML}" y1="{sy(t):.1f}" x2="{ML + pw}" y2="{sy(t):.1f}" stroke="#000" '
                   f'stroke-dasharray="6,4" stroke-width="1.5"/>')
        out.append(f'<text x="{ML + pw + 12}" y="{legend_y + 8}">{escape(label)}: {escape(_fmt(t))}</text>')
    out.append("</svg>")
    return "\n".join(out)


def event_study_chart(event_study: list[dict[str, Any]], *, title: str = "Event study") -> str:
    """SVG of event-study estimates by years since treatment, with 95% intervals and a zero line."""
    rows = sorted(event_study, key=lambda r: r["e"])
    es = [int(r["e"]) for r in rows]
    lows = [float(r["ci95"][0]) for r in rows]
    highs = [float(r["ci95"][1]) for r in rows]
    ticks = _nice_ticks(min([0.0, *lows]), max([0.0, *highs]))
    y0, y1 = ticks[0], ticks[-1] if ticks[-1] > ticks[0] else ticks[0] + 1
    x0, x1 = (min(es) - 0.5, max(es) + 0.5) if es else (-1, 1)
    pw, ph = W - ML - 30, H - MT - MB

    def sx(x: float) -> float:
        return ML + (x - x0) / (x1 - x0) * pw

    def sy(y: float) -> float:
        return MT + ph - (y - y0) / (y1 - y0) * ph

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" '
           f'aria-label="{escape(title)}" font-family="sans-serif" font-size="11">', f"<title>{escape(title)}</title>",
           f'<rect x="0" y="0" width="{W}" height="{H}" fill="#ffffff"/>',
           f'<text x="{ML}" y="20" font-size="13" font-weight="bold">{escape(title)}</text>']
    for t in ticks:
        out.append(f'<text x="{ML - 6}" y="{sy(t) + 4:.1f}" text-anchor="end">{escape(_fmt(t))}</text>')
        out.append(f'<line x1="{ML}" y1="{sy(t):.1f}" x2="{ML + pw}" y2="{sy(t):.1f}" stroke="#eee"/>')
    out.append(f'<line x1="{ML}" y1="{sy(0):.1f}" x2="{ML + pw}" y2="{sy(0):.1f}" stroke="#333"/>')
    out.append(f'<line x1="{sx(-0.5):.1f}" y1="{MT}" x2="{sx(-0.5):.1f}" y2="{MT + ph}" stroke="#999" '
               'stroke-dasharray="4,3"/>')
    for r, e, lo, hi in zip(rows, es, lows, highs, strict=True):
        colour = "#d62728" if e >= 0 else "#1f77b4"
        x = sx(e)
        out.append(f'<line x1="{x:.1f}" y1="{sy(lo):.1f}" x2="{x:.1f}" y2="{sy(hi):.1f}" stroke="{colour}"/>')
        out.append(f'<circle cx="{x:.1f}" cy="{sy(float(r["att"])):.1f}" r="3.5" fill="{colour}">'
                   f'<title>e = {e}: {escape(_fmt(float(r["att"])))} [{escape(_fmt(lo))}, {escape(_fmt(hi))}]'
                   "</title></circle>")
        out.append(f'<text x="{x:.1f}" y="{MT + ph + 16}" text-anchor="middle">{e}</text>')
    out.append(f'<text x="{ML + pw / 2:.0f}" y="{H - 8}" text-anchor="middle">years since treatment</text>')
    out.append("</svg>")
    return "\n".join(out)
