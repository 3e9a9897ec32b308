"""SVG charts of the financing simulation: trajectories with bands, and the sensitivity tornado.

Pure functions returning an inline SVG string (no external references; every text escaped), reused
by the CLI, the web panel and the PDF brief. Inputs are plain dicts: ``SimulationResult.summary()``,
``project_median()`` output, or ``sensitivity()`` output.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

METRIC_LABELS = {
    "public_share": "Public share of budget",
    "private_share": "Private share of budget",
    "program_share": "Program share of budget",
    "alive_share": "Share of clusters alive",
    "budget": "Budget per live cluster",
    "members": "Paying members per live cluster",
    "staff": "Staff per live cluster (FTE)",
}
SHARE_METRICS = {"public_share", "private_share", "program_share", "alive_share"}
STYLES = {  # role -> (stroke colour, dash pattern, width)
    "baseline": ("#6b7280", "6 4", 2.0),
    "design": ("#1d4ed8", "", 2.5),
    "pinned": ("#b45309", "2 3", 2.0),
    "fourth": ("#047857", "8 3 2 3", 2.0),
}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def series_from(data: Mapping[str, Any], metric: str = "public_share", label: str | None = None,
                role: str = "design") -> dict[str, Any]:
    """One chart series from a simulate summary (bands) or a project_median projection (p50 only)."""
    if metric in data and isinstance(data[metric], Mapping):
        band = data[metric]
        years = list(data["years"])
        p50, p10, p90 = band["p50"], band.get("p10"), band.get("p90")
    elif f"{metric}_p50" in data:
        years = list(data["year"])
        p50, p10, p90 = data[f"{metric}_p50"], None, None
    else:
        raise KeyError(f"no {metric} in the data")
    return {"label": label or str(data.get("design", role)), "years": years, "p50": list(p50),
            "p10": list(p10) if p10 is not None else None, "p90": list(p90) if p90 is not None else None,
            "role": role, "unit": data.get("money_unit") if metric == "budget" else None}


def _nice_max(v: float) -> float:
    if v <= 0 or not math.isfinite(v):
        return 1.0
    mag = 10 ** math.floor(math.log10(v))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * mag >= v:
            return m * mag
    return 10 * mag


def _fmt(v: float, share: bool) -> str:
    if share:
        return f"{v:.0%}"
    return f"{v:,.3g}" if abs(v) < 1000 else f"{v:,.0f}"


def trajectory_svg(series: Sequence[Mapping[str, Any]], *, metric: str = "public_share", title: str | None = None,
                   width: int = 640, height: int = 320, grant_end_year: int | None = None) -> str:
    """Line chart by program year: baseline dashed, design solid (with its p10-p90 band), pinned dotted.

    Each series: ``{label, years, p50, p10?, p90?, role: baseline|design|pinned}`` (see :func:`series_from`).
    None values are gaps.
    """
    share = metric in SHARE_METRICS
    left, right, top, bottom = 56, 16, 34, 58
    pw, ph = width - left - right, height - top - bottom
    all_years = [y for s in series for y in s["years"]]
    x0, x1 = (min(all_years), max(all_years)) if all_years else (1, 2)
    x1 = max(x1, x0 + 1)
    vals = [v for s in series for k in ("p50", "p10", "p90") for v in (s.get(k) or []) if v is not None]
    ymax = 1.0 if share else _nice_max(max(vals) if vals else 1.0)

    def X(y: float) -> float:
        return left + (y - x0) / (x1 - x0) * pw

    def Y(v: float) -> float:
        return top + ph - max(min(v / ymax, 1.0), 0.0) * ph

    unit = next((s.get("unit") for s in series if s.get("unit")), None)
    heading = title or METRIC_LABELS.get(metric, metric) + (f" ({unit})" if unit else "")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" role="img" aria-label="{_e(heading)}" font-family="sans-serif" font-size="11">',
           f"<title>{_e(heading)}</title>",
           f'<text x="{left}" y="18" font-size="13" font-weight="bold">{_e(heading)}</text>']
    for i in range(5):  # grid and y labels
        v = ymax * i / 4
        yy = Y(v)
        out.append(f'<line x1="{left}" y1="{yy:.1f}" x2="{left + pw}" y2="{yy:.1f}" stroke="#e5e7eb"/>')
        out.append(f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end" fill="#374151">{_e(_fmt(v, share))}'
                   "</text>")
    step = max(1, round((x1 - x0) / 10))
    for yr in range(int(x0), int(x1) + 1, step):
        out.append(f'<text x="{X(yr):.1f}" y="{top + ph + 16}" text-anchor="middle" fill="#374151">{yr}</text>')
    out.append(f'<text x="{left + pw / 2:.1f}" y="{top + ph + 30}" text-anchor="middle" fill="#374151">'
               "program year</text>")
    if grant_end_year is not None and x0 <= grant_end_year <= x1:
        gx = X(grant_end_year - 0.5)
        out.append(f'<line x1="{gx:.1f}" y1="{top}" x2="{gx:.1f}" y2="{top + ph}" stroke="#9ca3af" '
                   'stroke-dasharray="1 3"/>')
        out.append(f'<text x="{gx + 3:.1f}" y="{top + 10}" fill="#6b7280">grant ends</text>')
    for s in series:
        colour, dash, w = STYLES.get(str(s.get("role", "design")), STYLES["design"])
        yrs = s["years"]
        if s.get("p10") and s.get("p90"):
            pts = [(X(y), Y(lo), Y(hi)) for y, lo, hi in zip(yrs, s["p10"], s["p90"], strict=False)
                   if lo is not None and hi is not None]
            if len(pts) >= 2:
                poly = " ".join(f"{x:.1f},{a:.1f}" for x, a, _ in pts) + " " + " ".join(
                    f"{x:.1f},{b:.1f}" for x, _, b in reversed(pts))
                out.append(f'<polygon points="{poly}" fill="{colour}" fill-opacity="0.12" stroke="none"/>')
        segs: list[list[str]] = [[]]
        for y, v in zip(yrs, s["p50"], strict=False):
            if v is None:
                segs.append([])
            else:
                segs[-1].append(f"{X(y):.1f},{Y(v):.1f}")
        for seg in segs:
            if len(seg) >= 2:
                dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                out.append(f'<polyline points="{" ".join(seg)}" fill="none" stroke="{colour}" '
                           f'stroke-width="{w}"{dash_attr}/>')
    lx = left
    for s in series:  # legend
        colour, dash, w = STYLES.get(str(s.get("role", "design")), STYLES["design"])
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        ly = height - 12
        out.append(f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 22}" y2="{ly - 4}" stroke="{colour}" '
                   f'stroke-width="{w}"{dash_attr}/>')
        label = str(s.get("label", ""))[:40]
        out.append(f'<text x="{lx + 26}" y="{ly}" fill="#111827">{_e(label)}</text>')
        lx += 40 + 6 * len(label)
    out.append("</svg>")
    return "\n".join(out)


def financing_chart(design: Mapping[str, Any], *, baseline: Mapping[str, Any] | None = None,
                    pinned: Mapping[str, Any] | None = None, metric: str = "public_share",
                    title: str | None = None, width: int = 640, height: int = 320) -> str:
    """Chart a design (solid, with band when available) against an optional baseline (dashed) and an
    optional pinned third scenario (dotted). Accepts simulate summaries or project_median outputs."""
    series = []
    if baseline is not None:
        series.append(series_from(baseline, metric, role="baseline"))
    series.append(series_from(design, metric, role="design"))
    if pinned is not None:
        series.append(series_from(pinned, metric, role="pinned"))
    end = design.get("grant_end_year") or (design.get("headline") or {}).get("grant_end_year")
    return trajectory_svg(series, metric=metric, title=title, width=width, height=height, grant_end_year=end)


def tornado_svg(sens: Mapping[str, Any], output: str | None = None, *, top: int = 12, width: int = 640) -> str:
    """Tornado of a one-at-a-time ``sensitivity()`` result for one output (default: its first)."""
    name = output or sens["outputs"][0]
    base = sens["baseline"].get(name)
    rows = [r for r in sens.get("rows", []) if "at_low" in r][:top]
    bar_h, gap, left, right, head = 18, 6, 170, 20, 40
    height = head + len(rows) * (bar_h + gap) + 30
    vals = [v for r in rows for v in (r["at_low"].get(name), r["at_high"].get(name)) if v is not None]
    if base is not None:
        vals.append(base)
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    if hi - lo < 1e-12:
        lo, hi = lo - 0.5, hi + 0.5
    pw = width - left - right

    def X(v: float) -> float:
        return left + (v - lo) / (hi - lo) * pw

    heading = f"Sensitivity of {name.replace('_', ' ')} (one parameter at a time, low / high)"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" role="img" aria-label="{_e(heading)}" font-family="sans-serif" font-size="11">',
           f"<title>{_e(heading)}</title>",
           f'<text x="8" y="18" font-size="13" font-weight="bold">{_e(heading)}</text>']
    for i, r in enumerate(rows):
        y = head + i * (bar_h + gap)
        a, b = r["at_low"].get(name), r["at_high"].get(name)
        out.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{_e(r["parameter"])} '
                   f'({_e(r["evidence"][0].upper())})</text>')
        for v, colour in ((a, "#60a5fa"), (b, "#f59e0b")):
            if v is None or base is None:
                continue
            x_a, x_b = sorted((X(base), X(v)))
            out.append(f'<rect x="{x_a:.1f}" y="{y}" width="{max(x_b - x_a, 0.5):.1f}" height="{bar_h}" '
                       f'fill="{colour}"/>')
    if base is not None:
        bx = X(base)
        out.append(f'<line x1="{bx:.1f}" y1="{head - 4}" x2="{bx:.1f}" y2="{height - 24}" stroke="#111827"/>')
        out.append(f'<text x="{bx:.1f}" y="{height - 10}" text-anchor="middle">baseline {_e(f"{base:.3g}")}</text>')
    out.append('<text x="8" y="32" fill="#6b7280">'
               "blue: parameter at the low end of its range; orange: at the high end; (A) assumption, (E) evidence"
               "</text>")
    out.append("</svg>")
    return "\n".join(out)
