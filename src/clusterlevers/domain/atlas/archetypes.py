"""Archetypes: groups of atlas programs that share a program model, with a medoid and a stability score.

Method (documented in docs/archetypes.md): k-medoids (PAM: greedy BUILD, then SWAP until no swap
lowers the total distance) on the program distance matrix (the same mixed distance as ``compare``),
using only programs with at least MIN_CODED levers coded; programs coded more thinly are attached
afterwards to the nearest medoid as *tentative* members. The number of groups is chosen by silhouette
between K_MIN and K_MAX; each group gets lever ranges from its members, a name from the nearest named
prototype (one-to-one, Hungarian assignment), and a stability score: the mean best Jaccard overlap of
the group with the groups found on bootstrap resamples of the programs (Hennig's clusterboot idea).
Why PAM written here: scikit-learn's KMedoids lives in scikit-learn-extra, which is not maintained
for current NumPy; PAM on 60 programs is thirty lines and exactly reproducible.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from pydantic import BaseModel
from scipy.optimize import linear_sum_assignment

from ..canvas import data_text, load_canvas
from ..documents import parse_text
from .similarity import AtlasMatrix, distances_to, lever_units, pairwise, shipped_matrix

K_MIN, K_MAX = 4, 7
BOOTSTRAPS = 60
MIN_CODED = 10


class Archetype(BaseModel):
    id: str
    name: str
    description: str
    medoid: str
    members: list[str]
    tentative: list[str] = []
    levers: dict[str, dict[str, Any]]
    stability: float
    silhouette: float | None = None


def pam(D: np.ndarray, k: int, max_iter: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """k-medoids by PAM: greedy BUILD, then best-improvement SWAP. Returns (medoid indices, labels)."""
    n = D.shape[0]
    k = min(k, n)
    medoids = [int(np.argmin(D.sum(axis=1)))]
    while len(medoids) < k:
        nearest = D[:, medoids].min(axis=1)
        gains = np.maximum(nearest[:, None] - D, 0.0).sum(axis=0)
        gains[medoids] = -1.0
        medoids.append(int(np.argmax(gains)))
    best = D[:, medoids].min(axis=1).sum()
    for _ in range(max_iter):
        improved = False
        for i in range(k):
            for c in range(n):
                if c in medoids:
                    continue
                trial = medoids.copy()
                trial[i] = c
                cost = D[:, trial].min(axis=1).sum()
                if cost < best - 1e-12:
                    best, medoids, improved = cost, trial, True
        if not improved:
            break
    med = np.array(medoids)
    return med, np.argmin(D[:, med], axis=1)


def _cluster(D: np.ndarray, k: int) -> np.ndarray:
    return pam(D, k)[1]


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
    D_all = pairwise(m)
    coded = (~np.isnan(m.units)).sum(axis=1)
    core = np.flatnonzero(coded >= MIN_CODED)
    if len(core) < K_MIN + 2:  # a small or thinly coded atlas: use every program
        core = np.arange(len(m.ids))
    D = D_all[np.ix_(core, core)]
    k = choose_k(D)
    med_local, labels = pam(D, k)
    stab = _stability(D, labels, k, seed)
    from sklearn.metrics import silhouette_samples

    sil = silhouette_samples(D, labels, metric="precomputed") if k > 1 else np.zeros(len(core))
    groups = [core[labels == g].tolist() for g in range(k)]
    medoids = [int(core[i]) for i in med_local]
    thin = sorted(set(range(len(m.ids))) - set(core.tolist()))
    tentative: list[list[int]] = [[] for _ in range(k)]
    for i in thin:
        tentative[int(np.argmin(D_all[i, medoids]))].append(i)
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
                             tentative=sorted(m.ids[i] for i in tentative[g]),
                             levers=_lever_ranges(m, members), stability=round(stab[g], 3),
                             silhouette=round(float(np.mean(sil[labels == g])), 3)))
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
    best = min(arcs, key=lambda a: (float(np.mean([d[pos[p]] for p in a.members])), a.id))
    return best, float(np.mean([d[pos[p]] for p in best.members]))
