"""Benchmark: the default estimator (Callaway-Sant'Anna, covariates, no bootstrap) on 3,000 firms x 12 years.

Budget (DESIGN.md): <= 2 s. Measures the whole ``estimate()`` call from DataFrames (validation,
pivot, ATT(g,t), aggregation, pre-trend test, overlap), and separately from CSV files.
Run: .venv/bin/python bench/bench_evaluation.py [repeats]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from clusterlevers.domain.evaluation import estimate
from clusterlevers.domain.evaluation.synthetic import firm_panel

BUDGET_S = 2.0


def main(repeats: int = 7) -> None:
    study = firm_panel(3000, n_years=12, seed=0)
    estimate(study.panel, study.treatment, "log_rd")  # warm-up: imports, caches
    with tempfile.TemporaryDirectory() as tmp:
        p, t = Path(tmp) / "panel.csv", Path(tmp) / "treatment.csv"
        study.panel.to_csv(p, index=False)
        study.treatment.to_csv(t, index=False)
        for label, args in (("DataFrames", (study.panel, study.treatment)), ("CSV files", (p, t))):
            times = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                r = estimate(*args, "log_rd")
                times.append(time.perf_counter() - t0)
            med = statistics.median(times)
            print(f"cs, 3,000 firms x 12 years ({len(study.panel):,} rows), from {label}: median {med:.3f} s, "
                  f"max {max(times):.3f} s over {repeats} runs; ratio to the {BUDGET_S:g} s budget {med / BUDGET_S:.2f}"
                  f"  (att {r.att:.4f}, true {study.true_att['log_rd']:.4f})")
    for method in ("twfe", "psm"):
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            estimate(study.panel, study.treatment, "log_rd", method=method)
            times.append(time.perf_counter() - t0)
        print(f"{method}: median {statistics.median(times):.3f} s over 3 runs (no budget)")
    t0 = time.perf_counter()
    estimate(study.panel, study.treatment, "log_rd", bootstrap=999)
    print(f"cs with 999 bootstrap draws: {time.perf_counter() - t0:.3f} s (no budget)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
