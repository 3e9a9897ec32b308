"""Wall time of `clusterlevers --help` and `clusterlevers levers --json` (budget: 0.4 s each).

Runs each command N times in fresh processes, reports the median and p95, and the ratio to a
baseline measured in the same run: `python -c pass` (the interpreter's own start-up).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

N = 15
BUDGET_S = 0.4
EXE = shutil.which("clusterlevers") or str(Path(sys.executable).parent / "clusterlevers")


def timed(cmd: list[str]) -> list[float]:
    out = []
    for _ in range(N):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        out.append(time.perf_counter() - t)
    return out


def p95(xs: list[float]) -> float:
    return sorted(xs)[max(0, int(round(0.95 * len(xs))) - 1)]


def main() -> None:
    base = timed([sys.executable, "-c", "pass"])
    b = statistics.median(base)
    print(f"baseline python -c pass: median {b * 1000:.0f} ms")
    for args in (["--help"], ["levers", "--json"], ["check", "examples/canada-isi-2017.yaml", "--json"]):
        xs = timed([EXE, *args])
        m = statistics.median(xs)
        print(f"clusterlevers {' '.join(args)}: median {m * 1000:.0f} ms, p95 {p95(xs) * 1000:.0f} ms, "
              f"{m / b:.1f}x baseline, {m / BUDGET_S:.0%} of the {BUDGET_S:.1f} s budget")


if __name__ == "__main__":
    main()
