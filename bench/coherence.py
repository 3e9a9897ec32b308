"""Benchmark: coherence findings + program-type verdict for one design (part of the 'assess' budget).

Budget (docs: DESIGN.md quality bars): assess one design p95 <= 10 ms in process; findings and
classification are one part of it. Prints median and p95 in ms and the ratio to the 10 ms budget.
Run: .venv/bin/python bench/coherence.py
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from clusterlevers.domain.check import check
from clusterlevers.domain.coherence import classify_program, evaluate_rules
from clusterlevers.domain.derived import derive
from clusterlevers.domain.design import load_design

BUDGET_MS = 10.0
ROOT = Path(__file__).resolve().parents[1]


def measure(fn, n: int = 2000) -> tuple[float, float]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * len(times)) - 1]


def main() -> None:
    for name in ("canada-isi-2017.yaml", "norway-nic-2014.yaml"):
        design = load_design(ROOT / "examples" / name)
        derived = derive(design)
        evaluate_rules(design, derived)  # warm the caches (rule files, program types)
        for label, fn in (("findings", lambda d=design, r=derived: evaluate_rules(d, r)),
                          ("program type", lambda d=design: classify_program(d)),
                          ("check() total", lambda d=design: check(d))):
            med, p95 = measure(fn)
            print(f"{name:<24} {label:<14} median {med:6.3f} ms  p95 {p95:6.3f} ms  "
                  f"p95/budget {p95 / BUDGET_MS:5.1%}")


if __name__ == "__main__":
    main()
