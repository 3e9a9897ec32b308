"""Turn domain results into what the templates show (labels, bands, baselines), for page and brief alike."""

from __future__ import annotations

import math
from typing import Any

from ..domain.canvas import Lever, load_canvas
from ..domain.design import Design

SLIDER_STEPS = 1000


def slider_pos(lv: Lever, value: float) -> int:
    """Position of a numeric value on a 0..SLIDER_STEPS slider (log where the lever is log)."""
    return int(round(lv.unit_interval(value) * SLIDER_STEPS))


def slider_value(lv: Lever, pos: float) -> float:
    assert lv.min is not None and lv.max is not None
    t = min(max(pos / SLIDER_STEPS, 0.0), 1.0)
    if lv.scale == "log":
        return math.exp(math.log(lv.min) + t * (math.log(lv.max) - math.log(lv.min)))
    return lv.min + t * (lv.max - lv.min)


def show_value(lv: Lever, value: Any, currency: str | None = None) -> str:
    if value is None:
        return "not decided"
    if lv.kind == "ordinal":
        return lv.position(str(value)).label if value in lv.position_ids else str(value)
    v = float(value)
    txt = f"{v:,.0f}" if lv.integer or v >= 100 else f"{v:,.2f}".rstrip("0").rstrip(".")
    unit = f"{currency or ''} m/cluster-year".strip() if lv.money else (lv.unit or "")
    return f"{txt} {unit} ({lv.band(v).label.lower()})"


def lever_rows(design: Design, baseline: Design | None = None) -> list[dict[str, Any]]:
    """One row per lever with everything the canvas controls need."""
    canvas = load_canvas()
    rows = []
    for lv in canvas.levers:
        value = design.levers.get(lv.id)
        base = baseline.levers.get(lv.id) if baseline else None
        row: dict[str, Any] = {
            "lever": lv, "value": value, "decided": value is not None, "baseline": base,
            "shown": show_value(lv, value, design.context.currency),
            "baseline_shown": show_value(lv, base, (baseline.context.currency if baseline else None)),
            "note": design.notes.get(lv.id), "changed": baseline is not None and base != value,
        }
        if lv.kind == "ordinal":
            row["rank"] = lv.rank(str(value)) if value is not None else None
            row["base_rank"] = lv.rank(str(base)) if base is not None else None
        else:
            start = float(value) if value is not None else float(lv.default)
            row["pos"] = slider_pos(lv, start)
            row["base_pos"] = slider_pos(lv, float(base)) if isinstance(base, (int, float)) else None
            row["bands"] = [{"label": b.label, "at": slider_pos(lv, b.max) if b.max is not None else SLIDER_STEPS}
                            for b in lv.bands]
        rows.append(row)
    return rows


def areas_with_rows(design: Design, baseline: Design | None = None) -> list[dict[str, Any]]:
    canvas = load_canvas()
    rows = {r["lever"].id: r for r in lever_rows(design, baseline)}
    return [{"area": a, "rows": [rows[lv.id] for lv in canvas.levers_in(a.id)]} for a in canvas.areas]


def lever_name(lever_id: str) -> str:
    lv = load_canvas().by_id.get(lever_id)
    return lv.name if lv else lever_id


def diff_rows(before: Design, after: Design) -> list[dict[str, Any]]:
    """Lever-by-lever diff between two designs (redesign mode, comparisons)."""
    canvas = load_canvas()
    out = []
    for lv in canvas.levers:
        a, b = before.levers.get(lv.id), after.levers.get(lv.id)
        if a == b:
            continue
        direction = None
        if a is not None and b is not None:
            if lv.kind == "ordinal":
                direction = "up" if lv.rank(str(b)) > lv.rank(str(a)) else "down"
            else:
                direction = "up" if float(b) > float(a) else "down"
        out.append({"lever": lv, "before": show_value(lv, a, before.context.currency),
                    "after": show_value(lv, b, after.context.currency), "direction": direction})
    return out
