"""SVG map of the atlas (MDS coordinates), coloured by archetype, with an optional design marker."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .svg import PALETTE, esc, num


def atlas_map_svg(points: Sequence[Any], archetypes: Sequence[Any], design: tuple[float, float] | None = None,
                  design_label: str = "your design", width: int = 680, height: int = 420,
                  highlight: Sequence[str] = ()) -> str:
    pad = 30
    xs = [p.x for p in points] + ([design[0]] if design else [])
    ys = [p.y for p in points] + ([design[1]] if design else [])
    if not xs:
        return f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img"></svg>'
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    legend_w = 215
    sx = (width - 2 * pad - legend_w) / ((x1 - x0) or 1)
    sy = (height - 2 * pad) / ((y1 - y0) or 1)

    def px(x: float) -> float:
        return pad + (x - x0) * sx

    def py(y: float) -> float:
        return height - pad - (y - y0) * sy

    colour = {a.id: PALETTE[i % len(PALETTE)] for i, a in enumerate(archetypes)}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" aria-labelledby="atlas-map-title" class="chart atlas-map">',
             '<title id="atlas-map-title">Map of the atlas: programs placed by lever similarity '
             '(metric MDS); nearer means more alike</title>',
             f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>']
    hl = set(highlight)
    for p in points:
        c = colour.get(p.archetype or "", "#999999")
        r = 6 if p.id in hl else 4
        parts.append(f'<circle cx="{num(px(p.x))}" cy="{num(py(p.y))}" r="{r}" fill="{c}" fill-opacity="0.8" '
                     f'stroke="#222" stroke-width="{1.5 if p.id in hl else 0.4}"><title>{esc(p.label)} '
                     f'({esc(p.country)})</title></circle>')
        if p.id in hl:
            parts.append(f'<text x="{num(px(p.x) + 7)}" y="{num(py(p.y) + 12)}" font-size="10" fill="#374151" '
                         f'stroke="#fff" stroke-width="2.5" paint-order="stroke">{esc(p.id)}</text>')
    if design:
        dx, dy = px(design[0]), py(design[1])
        parts.append(f'<path d="M{num(dx)} {num(dy - 9)} L{num(dx + 9)} {num(dy)} L{num(dx)} {num(dy + 9)} '
                     f'L{num(dx - 9)} {num(dy)} Z" fill="#000" stroke="#fff" stroke-width="1.5">'
                     f'<title>{esc(design_label)} (placed between its three nearest programs)</title></path>')
        anchor = "end" if dx > (width - legend_w) * 0.7 else "start"
        tx = dx - 11 if anchor == "end" else dx + 11
        parts.append(f'<text x="{num(tx)}" y="{num(dy - 10)}" font-size="12" font-weight="bold" text-anchor="{anchor}" '
                     f'fill="#000" stroke="#fff" stroke-width="3" paint-order="stroke">{esc(design_label)}</text>')
    lx = width - legend_w + 12
    parts.append(f'<line x1="{lx - 12}" y1="{pad - 10}" x2="{lx - 12}" y2="{height - pad}" stroke="#e5e7eb"/>')
    for i, a in enumerate(archetypes):
        y = pad + i * 18
        parts.append(f'<circle cx="{lx}" cy="{y}" r="5" fill="{colour[a.id]}"/>')
        name = a.name if len(a.name) <= 30 else a.name[:29] + "…"
        parts.append(f'<text x="{lx + 10}" y="{y + 4}" font-size="11" fill="#222"><title>{esc(a.name)}</title>'
                     f'{esc(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)
