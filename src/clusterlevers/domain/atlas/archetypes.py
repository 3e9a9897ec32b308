"""Archetypes: groups of atlas programs that share a program model, with a medoid and a stability score.

Method (documented in docs/archetypes.md): average-linkage hierarchical clustering of the program
distance matrix (the same mixed distance as ``compare``), the number of groups chosen by silhouette
between K_MIN and K_MAX, a medoid per group, lever ranges from the members, a name from the nearest
named prototype (one-to-one), and a stability score per group: the mean best Jaccard overlap of the
group with the groups found on bootstrap resamples of the programs (Hennig's clusterboot idea).
Average linkage on a precomputed distance is in SciPy; sklearn's KMedoids lives outside the core
library, so the medoid step is three lines here.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from pydantic import BaseModel
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import squareform

from ..canvas import data_text, load_canvas
from ..documents import parse_text
from .similarity import AtlasMatrix, distances_to, lever_units, pairwise, shipped_matrix

K_MIN, K_MAX = 4, 7
BOOTSTRAPS = 60


class Archetype(BaseModel):
    id: str
    name: str
    description: str
    medoid: str
    members: list[str]
    levers: dict[str, dict[str, Any]]
    stability: float


def _cluster(D: np.ndarray, k: int) -> np.ndarray:
    Z = linkage(squareform(D, checks=False), method="average")
    return fcluster(Z, t=k, criterion="maxclust") - 1


def _silhouette(D: np.ndarray, labels: np.ndarray) -> float:
    from sklearn.metrics import silhouette_score

    if len(set(labels.tolist())) < 2:
        return -1.0
    return float(silhouette_score(D, labels, metric="precomputed"))


def choose_k(D: np.ndarray) -> int:
    n = D.shape[0]
    best_k, best_s = K_MIN, -2.0
    for k in range(K_MIN, min(K_MAX, n - 1) + 1):
        s = _silhouette(D, _cluster(D, k))
        if s > best_s + 1e-9:
            best_k, best_s = k, s
    return best_k


def _stability(D: np.ndarray, labels: np.ndarray, k: int, seed: int) -> list[float]:
    rng = np.random.default_rng(seed)
    n = D.shape[0]
    groups = [set(np.flatnonzero(labels == g).tolist()) for g in range(k)]
    scores: list[list[float]] = [[] for _ in range(k)]
    for _ in range(BOOTSTRAPS):
        idx = np.unique(rng.choice(n, size=n, replace=True))
        if len(idx) <= k:
            continue
        sub = _cluster(D[np.ix_(idx, idx)], k)
        boot = [set(idx[sub == g].tolist()) for g in range(k)]
        present = set(idx.tolist())
        for g, grp in enumerate(groups):
            a = grp & present
            if not a:
                continue
            scores[g].append(max(len(a & b) / len(a | b) for b in boot if b) if any(boot) else 0.0)
    return [float(np.mean(s)) if s else 0.0 for s in scores]


@lru_cache(maxsize=1)
def prototypes() -> list[dict[str, Any]]:
    doc = parse_text(data_text("archetypes.yaml"), "clusterlevers/data/archetypes.yaml")
    return list(doc.data["prototypes"])


def _lever_ranges(m: AtlasMatrix, members: list[int]) -> dict[str, dict[str, Any]]:
    canvas = load_canvas()
    out: dict[str, dict[str, Any]] = {}
    for j, lv in enumerate(canvas.levers):
        vals = [m.programs[i].lever_values().get(lv.id) for i in members]
        known = [v for v in vals if v is not None]
        entry: dict[str, Any] = {"known": len(known), "of": len(members)}
        if known and lv.kind == "ordinal":
            ranks = sorted(lv.rank(str(v)) for v in known)
            counts = {p: sum(1 for v in known if v == p) for p in lv.position_ids if any(v == p for v in known)}
            entry.update({"from": lv.position_ids[ranks[0]], "to": lv.position_ids[ranks[-1]],
                          "mode": max(counts, key=lambda p: counts[p]), "counts": counts})
        elif known:
            units = m.units[members, j]
            units = units[~np.isnan(units)]
            nums = [float(v) for v in known]  # type: ignore[arg-type]
            entry.update({"min": min(nums), "max": max(nums), "median": float(np.median(nums))})
            if lv.money:
                entry["note"] = "in each program's own currency; the grouping used EUR-converted values"
                entry["median_unit"] = float(np.median(units)) if len(units) else None
        out[lv.id] = entry
    return out


def compute_archetypes(m: AtlasMatrix, seed: int = 7) -> list[Archetype]:
    D = pairwise(m)
    k = choose_k(D)
    labels = _cluster(D, k)
    stab = _stability(D, labels, k, seed)
    groups = [np.flatnonzero(labels == g).tolist() for g in range(k)]
    medoids = [g[int(np.argmin(D[np.ix_(g, g)].sum(axis=1)))] for g in groups]
    # name each group after the nearest prototype, one-to-one (Hungarian assignment)
    protos = prototypes()
    cost = np.zeros((k, len(protos)))
    canvas = load_canvas()
    for pj, proto in enumerate(protos):
        pu = lever_units(proto["levers"], "EUR", 2020, canvas)
        d, _, _ = distances_to(pu, m)
        for g, members in enumerate(groups):
            cost[g, pj] = float(np.nanmean(d[members]))
    rows, cols = linear_sum_assignment(cost)
    names = {int(r): protos[int(c)] for r, c in zip(rows, cols, strict=True)}
    out = []
    for g, members in enumerate(groups):
        proto = names.get(g, {"id": f"group_{g + 1}", "name": f"Group {g + 1}", "description": ""})
        out.append(Archetype(id=proto["id"], name=proto["name"], description=proto.get("description", ""),
                             medoid=m.ids[medoids[g]], members=sorted(m.ids[i] for i in members),
                             levers=_lever_ranges(m, members), stability=round(stab[g], 3)))
    return sorted(out, key=lambda a: (-len(a.members), a.id))


@lru_cache(maxsize=1)
def shipped_archetypes() -> list[Archetype]:
    return compute_archetypes(shipped_matrix())


def archetype_of(query_units: np.ndarray) -> tuple[Archetype, float] | None:
    """The archetype whose members are on average nearest to a query vector, and that mean distance."""
    m = shipped_matrix()
    arcs = shipped_archetypes()
    d, _, _ = distances_to(query_units, m)
    if np.isnan(d).all():
        return None
    pos = {pid: i for i, pid in enumerate(m.ids)}
    best = min(arcs, key=lambda a: float(np.mean([d[pos[p]] for p in a.members])))
    return best, float(np.mean([d[pos[p]] for p in best.members]))
