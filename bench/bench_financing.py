"""Benchmark of the financing Monte Carlo and the panel's fast median projection.

Budgets (docs/DESIGN quality bars): 10 million cluster-years (10,000 draws x 50 clusters x 20 years)
in <= 3 s with peak memory <= 1.5 GB; project_median <= 3 ms.

Run: .venv/bin/python bench/bench_financing.py [--repeats 5]
Each simulate run happens in a fresh subprocess so its peak RSS (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import timeit

BUDGET_S, BUDGET_MB, BUDGET_MEDIAN_MS = 3.0, 1536.0, 3.0

CHILD = r"""
import json, resource, time
from clusterlevers.domain.design import parse_design
from clusterlevers.domain.financing import simulate
d = parse_design({"name": "bench", "context": {"currency": "EUR"}, "levers": {
    "portfolio_size": 50, "funding_intensity": 0.8, "funding_horizon": 10, "revenue_transition": "tapering",
    "private_match": 50, "funding_uses": "projects", "maturity_focus": "tiered_ladder",
    "accountability_model": "milestone_gated"}})
simulate(d, draws=50, years=20)  # warm imports and caches
t = time.perf_counter()
res = simulate(d, draws=10_000, years=20, clusters=50, seed=1)
s = res.summary()
el = time.perf_counter() - t
print(json.dumps({"seconds": el, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "cluster_years": 10_000 * 50 * 20}))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    runs = []
    for _ in range(args.repeats):
        out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    secs = [r["seconds"] for r in runs]
    peak = max(r["peak_mb"] for r in runs)
    med = statistics.median(secs)
    print(f"simulate 10M cluster-years (incl. summary): median {med:.3f} s over {len(secs)} runs "
          f"(min {min(secs):.3f}, max {max(secs):.3f}); ratio to {BUDGET_S:g} s budget: {med / BUDGET_S:.2f}")
    print(f"peak RSS (process incl. interpreter and imports): {peak:.0f} MB; ratio to {BUDGET_MB:g} MB: "
          f"{peak / BUDGET_MB:.2f}")

    from clusterlevers.domain.design import parse_design
    from clusterlevers.domain.financing import project_median
    from clusterlevers.domain.financing.simulate import _project_cached

    d = parse_design({"name": "panel", "context": {"currency": "NOK", "price_year": 2020},
                      "levers": {"portfolio_size": 40, "funding_intensity": 5, "funding_horizon": 10,
                                 "revenue_transition": "capped_share"}})
    project_median(d)

    def uncached() -> None:
        _project_cached.cache_clear()
        project_median(d)

    samples = [timeit.timeit(uncached, number=20) / 20 * 1000 for _ in range(30)]
    samples.sort()
    p95 = samples[int(0.95 * (len(samples) - 1))]
    cached = timeit.timeit(lambda: project_median(d), number=2000) / 2000 * 1000
    print(f"project_median uncached: median {statistics.median(samples):.3f} ms, p95 {p95:.3f} ms; "
          f"ratio to {BUDGET_MEDIAN_MS:g} ms: {statistics.median(samples) / BUDGET_MEDIAN_MS:.2f}")
    print(f"project_median cached (same levers): median {cached:.4f} ms")


if __name__ == "__main__":
    main()
