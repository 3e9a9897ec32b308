"""The result sections of one design (assessment + SVG charts), built once for the page and the brief alike."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from ..domain.design import Design


def results_context(design: Design, *, baseline: Design | None = None, pinned: Design | None = None,
                    current: Design | None = None, a: dict[str, Any] | None = None,
                    chart_width: int = 640, design_label: str | None = None) -> dict[str, Any]:
    """Everything ``partials/results.html`` and the brief need: keys a, projection_svg, atlas_svg, redesign,
    query, design.

    Args:
        design: the design shown.
        baseline: drawn dashed in the financing chart (the page passes the canvas defaults when blank).
        pinned: a third scenario, drawn dotted.
        current: the running program a redesign starts from (adds the redesign section).
        a: a ready ``assess(design)`` result, to avoid computing it twice.
        chart_width: width of the SVG charts in px (they scale with their viewBox).
        design_label: the design's label in the charts (default: its name).
    """
    from ..charts.atlas_map import atlas_map_svg
    from ..charts.financing import financing_chart
    from ..domain.assess import assess
    from ..domain.atlas.archetypes import shipped_archetypes
    from ..domain.atlas.atlas_map import place, shipped_map
    from ..domain.atlas.similarity import lever_units
    from ..domain.financing import project_median
    from ..domain.urlstate import design_to_query

    a = a if a is not None else assess(design)
    proj = a["projection"] or project_median(design)
    base_proj = {**project_median(baseline), "design": f"baseline: {baseline.name}"} if baseline else None
    pin_proj = {**project_median(pinned), "design": f"pinned: {pinned.name}"} if pinned else None
    label = design_label or design.name
    chart = financing_chart({**proj, "design": label}, baseline=base_proj, pinned=pin_proj,
                            width=chart_width)
    units = lever_units(design.levers, design.context.currency, design.price_year)
    where = place(units)
    atlas_svg = atlas_map_svg(shipped_map(), shipped_archetypes(), design=where, design_label=label[:30],
                              highlight=[n["program"] for n in a["neighbours"][:3]], width=chart_width)
    redesign = None
    if current is not None:
        from ..domain.atlas.loader import load_atlas
        from ..domain.atlas.redesign import moves_between, similar_generation_moves
        from .viewmodel import diff_rows

        cu = lever_units(current.levers, current.context.currency, current.price_year)
        redesign = {"current": current, "diff": diff_rows(current, design),
                    "similar": similar_generation_moves(moves_between(cu, units), load_atlas())}
    return {"a": a, "projection_svg": chart, "atlas_svg": atlas_svg, "redesign": redesign,
            "query": urlencode(design_to_query(design)), "design": design}
