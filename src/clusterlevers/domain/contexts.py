"""How programs in similar contexts chose: information, not a verdict (issue 4, "no single best practice").

Country context comes from ``data/countries.yaml`` (population, GDP per capita at PPP, R&D intensity,
federal or unitary; each value sourced, with year and confidence). A design's context is its
country's row, overridden by any population, R&D intensity or state structure the design states.
Dimensions are standardised across the atlas countries (log for population and GDP per capita);
the distance is the root mean square difference over the dimensions both sides have.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np

from .atlas.loader import load_atlas
from .canvas import data_text, load_canvas
from .design import Design
from .documents import parse_text
from .money import convert

DIMENSIONS = ("log_population", "log_gdp_per_capita", "rd_intensity_pct", "federal")
DEFAULT_K = 8


@lru_cache(maxsize=1)
def countries() -> dict[str, dict[str, Any]]:
    doc = parse_text(data_text("countries.yaml"), "clusterlevers/data/countries.yaml")
    return {str(k): v for k, v in doc.data["countries"].items()}


def _val(row: dict[str, Any], key: str) -> Any:
    cell = row.get(key) or {}
    return cell.get("value") if isinstance(cell, dict) else None


def country_vector(code: str | None, overrides: dict[str, Any] | None = None) -> dict[str, float]:
    row = countries().get(code or "", {})
    o = overrides or {}
    pop = o.get("population") or _val(row, "population")
    gdp = _val(row, "gdp_per_capita")
    rd = o.get("rd_intensity") if o.get("rd_intensity") is not None else _val(row, "rd_intensity_pct")
    state = o.get("state_structure") or _val(row, "state_structure")
    out: dict[str, float] = {}
    if pop:
        out["log_population"] = math.log(float(pop))
    if gdp:
        out["log_gdp_per_capita"] = math.log(float(gdp))
    if rd is not None:
        out["rd_intensity_pct"] = float(rd)
    if state in ("federal", "unitary"):
        out["federal"] = 1.0 if state == "federal" else 0.0
    return out


@lru_cache(maxsize=1)
def _scales() -> dict[str, tuple[float, float]]:
    vecs = [country_vector(c) for c in countries()]
    scales = {}
    for dim in DIMENSIONS:
        xs = np.array([v[dim] for v in vecs if dim in v])
        scales[dim] = (float(xs.mean()), float(xs.std()) or 1.0) if len(xs) else (0.0, 1.0)
    return scales


def context_distance(a: dict[str, float], b: dict[str, float]) -> float | None:
    dims = [d for d in DIMENSIONS if d in a and d in b]
    if not dims:
        return None
    sc = _scales()
    return math.sqrt(sum(((a[d] - b[d]) / sc[d][1]) ** 2 for d in dims) / len(dims))


def design_context_vector(design: Design) -> dict[str, float]:
    c = design.context
    return country_vector(c.country, {"population": c.population, "rd_intensity": c.rd_intensity,
                                      "state_structure": c.state_structure})


def similar_contexts(design: Design, k: int = DEFAULT_K) -> dict[str, Any] | None:
    """For each lever, the positions chosen by the k atlas programs whose country context is nearest."""
    vec = design_context_vector(design)
    if not vec:
        return None
    atlas = load_atlas()
    scored = []
    for p in atlas.values():
        dist = context_distance(vec, country_vector(p.country))
        if dist is not None:
            scored.append((dist, p.id))
    scored.sort()
    chosen = [atlas[pid] for _, pid in scored[:k]]
    dist_of = {pid: d for d, pid in scored}
    levers: dict[str, Any] = {}
    for lv in load_canvas().levers:
        entry: dict[str, Any] = {"unknown": []}
        if lv.kind == "ordinal":
            entry["positions"] = {pos: [] for pos in lv.position_ids}
        else:
            entry["values"] = []
        for p in chosen:
            c = p.levers[lv.id]
            if not c.known:
                entry["unknown"].append(p.name)
            elif lv.kind == "ordinal":
                entry["positions"][str(c.position)].append(p.name)
            else:
                item: dict[str, Any] = {"program": p.name, "value": c.value, "currency": c.currency}
                if lv.money and c.currency and c.value is not None:
                    conv = convert(float(c.value), c.currency, "EUR", c.price_year or p.start_year or 2020)
                    item["value_eur"] = None if conv is None else round(conv.value, 3)
                entry["values"].append(item)
        if lv.kind == "ordinal":
            entry["positions"] = {k2: v for k2, v in entry["positions"].items() if v}
        levers[lv.id] = entry
    return {
        "based_on": [d for d in DIMENSIONS if d in vec],
        "k": len(chosen),
        "programs": [{"program": p.id, "name": p.name, "country": p.country,
                      "context_distance": round(dist_of[p.id], 3)} for p in chosen],
        "levers": levers,
        "note": ("How programs in the most similar country contexts chose each lever: information, not a "
                 "verdict. Country data: data/countries.yaml (sourced, with years and confidence)."),
    }
