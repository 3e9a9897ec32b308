"""Nearest real programs: a mixed-type (Gower-style) distance between lever codings.

Per lever the distance is |a - b| on [0, 1] (ordinal by rank, numeric on the lever's own scale, log
where the lever is log, money converted to EUR at the price year). The distance is the weighted mean
over the levers the query has decided. Unknown levers are neither zero nor dropped silently: when a
program's coding is unknown, that lever contributes the *expected* distance between the query's
value and the atlas programs that do know it, and the share of weight actually compared is reported.
With every lever known on both sides the distance is a weighted L1 metric (symmetric, zero on
identity, bounded by 1, triangle inequality holds); with imputation the triangle inequality is not
promised.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from pydantic import BaseModel

from ..canvas import Canvas, data_text, load_canvas
from ..design import Design
from ..documents import parse_text
from ..money import convert
from .model import Program


@lru_cache(maxsize=1)
def weights() -> dict[str, float]:
    doc = parse_text(data_text("similarity.yaml"), "clusterlevers/data/similarity.yaml")
    return {str(k): float(v) for k, v in doc.data["weights"].items()}


def lever_units(values: Mapping[str, str | float], currency: str | None, price_year: int,
                canvas: Canvas | None = None) -> np.ndarray:
    """Map lever values onto [0, 1] per lever (NaN where unknown or not convertible)."""
    canvas = canvas or load_canvas()
    out = np.full(len(canvas.levers), np.nan)
    for i, lv in enumerate(canvas.levers):
        v = values.get(lv.id)
        if v is None:
            continue
        if lv.kind == "ordinal":
            if v in lv.position_ids:
                out[i] = lv.rank(str(v)) / (len(lv.positions) - 1)
        else:
            x = float(v)
            if lv.money:
                if not currency:
                    continue
                conv = convert(x, currency, lv.range_currency or "EUR", price_year)
                if conv is None:
                    continue
                x = conv.value
            out[i] = lv.unit_interval(x)
    return out


@dataclass
class AtlasMatrix:
    ids: list[str]
    programs: list[Program]
    units: np.ndarray  # (n_programs, n_levers), NaN = unknown
    weights: np.ndarray  # (n_levers,)
    lever_ids: list[str] = field(default_factory=list)


def program_units(p: Program, canvas: Canvas | None = None) -> np.ndarray:
    fi = p.levers.get("funding_intensity")
    year = (fi.price_year if fi and fi.price_year else None) or p.start_year or 2020
    return lever_units(p.lever_values(), p.currency, year, canvas)


def build_matrix(programs: Mapping[str, Program]) -> AtlasMatrix:
    canvas = load_canvas()
    progs = list(programs.values())
    units = np.vstack([program_units(p, canvas) for p in progs]) if progs else np.zeros((0, len(canvas.levers)))
    w = weights()
    return AtlasMatrix(ids=[p.id for p in progs], programs=progs, units=units,
                       weights=np.array([w.get(lv.id, 1.0) for lv in canvas.levers]),
                       lever_ids=[lv.id for lv in canvas.levers])


@lru_cache(maxsize=4)
def _shipped_matrix(key: str) -> AtlasMatrix:
    from .loader import load_atlas

    return build_matrix(load_atlas())


def shipped_matrix() -> AtlasMatrix:
    from .loader import default_atlas_dir

    return _shipped_matrix(str(default_atlas_dir()))


def distances_to(u: np.ndarray, m: AtlasMatrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distances from a query vector to every program.

    Returns (distance (n,), per-lever weighted contributions (n, L), compared-share (n,)).
    """
    decided = ~np.isnan(u)
    if not decided.any() or m.units.shape[0] == 0:
        n = m.units.shape[0]
        return np.full(n, np.nan), np.zeros((n, len(u))), np.zeros(n)
    U = m.units[:, decided]
    q = u[decided]
    w = m.weights[decided]
    diff = np.abs(U - q)  # NaN where the program is unknown
    known = ~np.isnan(diff)
    # expected distance per lever between the query value and the programs that know the lever
    col_sum = np.where(known, diff, 0.0).sum(axis=0)
    col_n = known.sum(axis=0)
    expected = np.where(col_n > 0, col_sum / np.maximum(col_n, 1), 0.5)
    filled = np.where(known, diff, expected)
    wsum = w.sum()
    contrib_decided = filled * w / wsum
    dist = contrib_decided.sum(axis=1)
    share = (known * w).sum(axis=1) / wsum
    contrib = np.zeros((m.units.shape[0], len(u)))
    contrib[:, decided] = contrib_decided
    return dist, contrib, share


class Difference(BaseModel):
    lever: str
    design: str | float | None
    program: str | float | None
    contribution: float
    imputed: bool = False


class Neighbour(BaseModel):
    program: str
    name: str
    country: str
    distance: float
    similarity: float
    compared_share: float
    differences: list[Difference]


def _value_label(v: str | float | None) -> str | float | None:
    return v


def nearest(query: Mapping[str, str | float], currency: str | None, price_year: int, *, top: int = 5,
            exclude: set[str] | None = None, m: AtlasMatrix | None = None, max_differences: int = 6) -> list[Neighbour]:
    """The ``top`` nearest atlas programs to a set of lever values, with the levers where they differ most."""
    m = m or shipped_matrix()
    canvas = load_canvas()
    u = lever_units(query, currency, price_year, canvas)
    dist, contrib, share = distances_to(u, m)
    if np.isnan(dist).all():
        return []
    order_key = dist.copy()
    if exclude:
        for i, pid in enumerate(m.ids):
            if pid in exclude:
                order_key[i] = np.inf
    k = min(top, int(np.isfinite(order_key).sum()))
    if k <= 0:
        return []
    part = np.argpartition(order_key, k - 1)[:k]
    # ties broken by id so results are deterministic
    idx: list[int] = sorted(part.tolist(), key=lambda i: (round(float(order_key[i]), 12), m.ids[i]))
    out = []
    for i in idx:
        p = m.programs[i]
        pv = p.lever_values()
        diffs: list[Difference] = []
        for j in np.argsort(-contrib[i], kind="stable"):
            c = float(contrib[i, j])
            if c <= 1e-9 or len(diffs) >= max_differences:
                break
            lid = canvas.levers[j].id
            diffs.append(Difference(lever=lid, design=query.get(lid), program=pv.get(lid),
                                    contribution=round(c, 4), imputed=np.isnan(m.units[i, j])))
        out.append(Neighbour(program=p.id, name=p.name, country=p.country, distance=round(float(dist[i]), 4),
                             similarity=round(1 - float(dist[i]), 4), compared_share=round(float(share[i]), 3),
                             differences=diffs))
    return out


def compare_design(design: Design, top: int = 5, exclude: set[str] | None = None) -> list[Neighbour]:
    return nearest(design.levers, design.context.currency, design.price_year, top=top, exclude=exclude)


def compare_program(program: Program, top: int = 5) -> list[Neighbour]:
    """Nearest programs to an atlas program; never returns the program itself."""
    fi = program.levers.get("funding_intensity")
    year = (fi.price_year if fi and fi.price_year else None) or program.start_year or 2020
    return nearest(program.lever_values(), program.currency, year, top=top, exclude={program.id})


def pairwise(m: AtlasMatrix) -> np.ndarray:
    """Symmetric program-by-program distance matrix (levers unknown on both sides are skipped)."""
    n = m.units.shape[0]
    D = np.zeros((n, n))
    for i in range(n):
        d, _, _ = distances_to(m.units[i], m)
        D[i] = d
    D = np.nan_to_num((D + D.T) / 2, nan=1.0)
    np.fill_diagonal(D, 0.0)
    return D
