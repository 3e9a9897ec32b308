"""A 2-D map of the atlas: metric MDS of the program distance matrix.

A design is placed by inverse-distance weighting of its three nearest programs' map positions (MDS
has no out-of-sample transform); the map says so in its caption.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from pydantic import BaseModel

from .archetypes import shipped_archetypes
from .similarity import AtlasMatrix, distances_to, pairwise, shipped_matrix


class MapPoint(BaseModel):
    id: str
    label: str
    country: str
    x: float
    y: float
    archetype: str | None = None


def mds_coordinates(m: AtlasMatrix, seed: int = 0) -> np.ndarray:
    from sklearn.manifold import MDS

    D = pairwise(m)
    if D.shape[0] < 3:
        return np.zeros((D.shape[0], 2))
    mds = MDS(n_components=2, metric="precomputed", init="classical_mds", random_state=seed, n_init=1)
    xy = mds.fit_transform(D)
    # a stable orientation: first axis by variance sign, centred
    xy -= xy.mean(axis=0)
    for j in range(2):
        if xy[np.argmax(np.abs(xy[:, j])), j] < 0:
            xy[:, j] *= -1
    return xy


@lru_cache(maxsize=1)
def shipped_map() -> list[MapPoint]:
    m = shipped_matrix()
    xy = mds_coordinates(m)
    arc_of = {pid: a.id for a in shipped_archetypes() for pid in a.members + a.tentative}
    return [MapPoint(id=p.id, label=p.name, country=p.country, x=float(xy[i, 0]), y=float(xy[i, 1]),
                     archetype=arc_of.get(p.id)) for i, p in enumerate(m.programs)]


def place(query_units: np.ndarray, k: int = 3) -> tuple[float, float] | None:
    m = shipped_matrix()
    d, _, _ = distances_to(query_units, m)
    if np.isnan(d).all():
        return None
    pts = shipped_map()
    idx = np.argsort(d, kind="stable")[:k]
    w = 1.0 / np.maximum(d[idx], 1e-3)
    x = float(np.sum([pts[i].x for i in idx] * w) / w.sum())
    y = float(np.sum([pts[i].y for i in idx] * w) / w.sum())
    return x, y
