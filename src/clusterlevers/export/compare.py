"""The comparison brief: two to four designs side by side (levers, figures, findings, financing chart)."""

from __future__ import annotations

from typing import Any

ROLES = ("design", "baseline", "pinned")  # the financing chart's three line styles (solid, dashed, dotted)


def _legend(n: int, name: str, width: int = 24) -> str:
    """A numbered, short chart legend (three must fit side by side under a 640 px chart)."""
    short = name if len(name) <= width else name[:width - 1].rstrip() + "…"
    return f"{n}. {short}"


def compare_context(items: list[dict[str, Any]]) -> dict[str, Any]:
    """Side-by-side rows from per-design brief contexts (see :func:`.context.design_context`)."""
    from ..charts.financing import financing_chart
    from ..domain.canvas import load_canvas

    canvas = load_canvas()
    by_lever = [{r["lever"].id: r for area in it["glance"] for r in area["rows"]} for it in items]
    areas: list[dict[str, Any]] = []
    for area in canvas.areas:
        rows = []
        for lv in canvas.levers_in(area.id):
            cells = [b[lv.id] for b in by_lever]
            values = [c["value"] for c in cells]
            rows.append({"lever": lv, "cells": cells, "differs": len({repr(v) for v in values}) > 1})
        areas.append({"area": area, "rows": rows})
    projections = [{**it["a"]["projection"], "design": _legend(i + 1, it["design"].name)} for i, it in enumerate(items)]
    charts = []
    for start in range(0, len(projections), len(ROLES)):  # three styles per chart; a fourth design gets its own
        group = projections[start:start + len(ROLES)]
        if start and len(group) == 1:
            group = [group[0], projections[0]]  # the fourth design against the first, for reference
        charts.append(financing_chart(group[0], baseline=group[1] if len(group) > 1 else None,
                                      pinned=group[2] if len(group) > 2 else None))
    figures = [{"label": row["label"], "grade": row["grade"],
                "cells": [it["key_figures"][i] for it in items]}
               for i, row in enumerate(items[0]["key_figures"])]
    merged: dict[str, list[dict[str, str]]] = {}
    for it in items:  # one sources list for all designs: groups merged by name, URLs de-duplicated
        for g in it["sources"]:
            known = {x["href"] for x in merged.setdefault(g["group"], [])}
            merged[g["group"]].extend(x for x in g["links"] if x["href"] not in known)
    for it in items:
        counts = {s: sum(f["severity"] == s for f in it["a"]["findings"]) for s in ("critical", "warning", "info")}
        it["finding_counts"] = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "none"
    differing = sum(r["differs"] for a in areas for r in a["rows"])
    return {"compare_areas": areas, "compare_charts": charts, "compare_figures": figures,
            "differing": differing,
            "compare_sources": [{"group": k, "links": v} for k, v in merged.items()], "design": items[0]["design"]}
