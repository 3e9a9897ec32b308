"""In-process assess (derived + findings + top-5 neighbours + median projection) and nearest-program search.

Budgets (DESIGN.md): assess p95 <= 10 ms with the shipped atlas and <= 25 ms with a synthetic atlas of
10,000 programs; top-5 neighbours against 10,000 programs p95 <= 5 ms (issue 3). Designs are drawn at
random from the lever specs (a fixed seed), so caches see new designs as a user's moves would.
Baseline in the same run: `derive` alone (the cheapest part).
"""

from __future__ import annotations

import random
import statistics
import time
from unittest import mock

import numpy as np

from clusterlevers import load_canvas, parse_design
from clusterlevers.domain.assess import assess
from clusterlevers.domain.atlas import similarity
from clusterlevers.domain.derived import derive

N = 400


def random_design(rng: random.Random) -> dict:
    levers = {}
    for lv in load_canvas().levers:
        if rng.random() < 0.15:
            continue
        if lv.kind == "ordinal":
            levers[lv.id] = rng.choice(lv.position_ids)
        else:
            lo, hi = lv.min, lv.max
            v = np.exp(rng.uniform(np.log(lo), np.log(hi))) if lv.scale == "log" else rng.uniform(lo, hi)
            levers[lv.id] = int(round(v)) if lv.integer else round(float(v), 2)
    return {"name": "bench", "context": {"currency": "EUR", "price_year": 2024}, "levers": levers}


def stats(xs: list[float]) -> tuple[float, float]:
    xs = sorted(xs)
    return statistics.median(xs) * 1000, xs[int(0.95 * (len(xs) - 1))] * 1000


def time_it(fn, designs) -> list[float]:
    out = []
    for d in designs:
        t = time.perf_counter()
        fn(d)
        out.append(time.perf_counter() - t)
    return out


def synthetic_matrix(n: int, seed: int = 1) -> similarity.AtlasMatrix:
    rng = np.random.default_rng(seed)
    base = similarity.shipped_matrix()
    units = rng.random((n, base.units.shape[1]))
    units[rng.random(units.shape) < 0.2] = np.nan  # a fifth unknown, like the real atlas
    progs = [base.programs[i % len(base.programs)] for i in range(n)]
    return similarity.AtlasMatrix(ids=[f"syn-{i}" for i in range(n)], programs=progs, units=units,
                                  weights=base.weights, lever_ids=base.lever_ids)


def main() -> None:
    rng = random.Random(42)
    designs = [parse_design(random_design(rng)) for _ in range(N)]
    assess(designs[0])  # load data, caches of the shipped atlas
    m, p = stats(time_it(derive, designs))
    print(f"baseline derive: median {m:.3f} ms, p95 {p:.3f} ms")
    m, p = stats(time_it(assess, designs))
    print(f"assess, shipped atlas ({len(similarity.shipped_matrix().ids)} programs), new designs: "
          f"median {m:.2f} ms, p95 {p:.2f} ms ({p / 10:.0%} of the 10 ms budget)")
    m2, p2 = stats(time_it(assess, designs))
    print(f"assess, shipped atlas, repeated designs (projection cached): median {m2:.2f} ms, p95 {p2:.2f} ms")
    big = synthetic_matrix(10_000)
    with mock.patch.object(similarity, "shipped_matrix", return_value=big):
        t_nb = []
        for d in designs:
            t = time.perf_counter()
            similarity.nearest(d.levers, "EUR", 2024, top=5, m=big)
            t_nb.append(time.perf_counter() - t)
        m, p = stats(t_nb)
        print(f"top-5 neighbours vs synthetic atlas of 10,000: median {m:.2f} ms, p95 {p:.2f} ms "
              f"({p / 5:.0%} of the 5 ms budget)")
        import clusterlevers.domain.assess as A
        from clusterlevers.domain.financing.simulate import _project_cached

        _project_cached.cache_clear()  # new designs: the projection is computed, not cached

        with mock.patch.object(A, "compare_design", lambda d, top=5: similarity.nearest(
                d.levers, "EUR", 2024, top=top, m=big)):
            m, p = stats(time_it(lambda d: A.assess(d), designs[:200]))
        print(f"assess with the 10,000-program atlas (neighbours; archetype on the shipped atlas): "
              f"median {m:.2f} ms, p95 {p:.2f} ms ({p / 25:.0%} of the 25 ms budget)")


if __name__ == "__main__":
    main()
