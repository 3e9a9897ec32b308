"""Latency of the scenario store's operations (SQLite file; PostgreSQL too if a URL is given).

DESIGN.md sets no storage budget; the reference targets below are this script's own (a save or a
reopen is one step of a panel request, so it should cost a small part of it): p95 ≤ 20 ms for a
write, ≤ 10 ms for a read, ≤ 50 ms for listing 500 scenarios.

    python bench/bench_storage.py [postgresql+psycopg://user@host:port/db]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from clusterlevers.storage import ScenarioStore

N = 200
SCENARIOS = 500
DESIGN = {"name": "bench", "context": {"country": "NO", "currency": "NOK"},
          "levers": {"ambition_level": "grow", "portfolio_size": 12, "funding_intensity": 2.5,
                     "funding_horizon": 10, "private_match": 50}, "notes": "n" * 2000}
TARGETS_MS = {"create": 20, "append": 20, "get (10 versions)": 10, "get_version": 10,
              f"list ({SCENARIOS} scenarios)": 50, "open (schema at head)": 100}


def p95(xs: list[float]) -> float:
    return sorted(xs)[max(0, int(round(0.95 * len(xs))) - 1)]


def timed(fn: Callable[[int], object], n: int = N) -> list[float]:
    out = []
    for i in range(n):
        t = time.perf_counter()
        fn(i)
        out.append(time.perf_counter() - t)
    return out


def run(url: str, label: str) -> None:
    print(f"== {label}")
    store = ScenarioStore(url)
    ids: list[str] = []
    results = {"create": timed(lambda i: ids.append(store.create(f"s{i}", DESIGN).id))}
    sid = ids[0]
    results["append"] = timed(lambda i: store.append(ids[i % 10], DESIGN, note=f"v{i}"))
    for i in range(SCENARIOS - len(ids)):
        store.create(f"extra{i}", DESIGN)
    results["get (10 versions)"] = timed(lambda i: store.get(ids[i % 10], history_limit=10))
    results["get_version"] = timed(lambda i: store.get_version(sid, 1 + i % 5))
    results[f"list ({SCENARIOS} scenarios)"] = timed(lambda i: store.list(), 30)
    store.close()
    results["open (schema at head)"] = timed(lambda i: ScenarioStore(url).close(), 20)
    for name, xs in results.items():
        med, q = statistics.median(xs) * 1000, p95(xs) * 1000
        target = TARGETS_MS[name]
        print(f"{name:24s} median {med:7.2f} ms  p95 {q:7.2f} ms  p95/target {q / target:5.0%} of {target} ms")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{Path(tmp) / 'bench.db'}", "SQLite (WAL, file in a temp dir)")
    if len(sys.argv) > 1:
        run(sys.argv[1], "PostgreSQL")


if __name__ == "__main__":
    main()
