"""Benchmark: time to render one design brief as PDF (and its parts), in process.

No budget is set in DESIGN.md; the reference used here is 5 s for one PDF (a click on "Download
brief" should answer within a few seconds). Reports medians and p95 over repeated runs, split into
building the context (assess + 1,000-draw simulation + logic model + charts), HTML templating and
WeasyPrint layout, plus a two-design comparison brief.
Run: .venv/bin/python bench/bench_brief.py [repeats]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from clusterlevers.domain.design import load_design
from clusterlevers.export.brief import html_to_pdf, render_brief_html
from clusterlevers.export.context import design_context

REFERENCE_S = 5.0
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _stats(times: list[float]) -> tuple[float, float]:
    s = sorted(times)
    return statistics.median(s), s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]


def main(repeats: int = 7) -> None:
    canada = load_design(EXAMPLES / "canada-isi-2017.yaml")
    norway = load_design(EXAMPLES / "norway-nic-2014.yaml")
    html_to_pdf(render_brief_html([canada]))  # warm-up: imports, atlas and font caches
    parts: dict[str, list[float]] = {"context": [], "html": [], "pdf layout": [], "one PDF, end to end": [],
                                     "comparison PDF (2 designs)": []}
    for _ in range(repeats):
        t0 = time.perf_counter()
        design_context(canada)
        t1 = time.perf_counter()
        html = render_brief_html([canada])
        t2 = time.perf_counter()
        html_to_pdf(html)
        t3 = time.perf_counter()
        parts["context"].append(t1 - t0)
        parts["html"].append((t2 - t1) - (t1 - t0))  # render_brief_html rebuilds the context: subtract it
        parts["pdf layout"].append(t3 - t2)
        parts["one PDF, end to end"].append(t3 - t1)
        t4 = time.perf_counter()
        html_to_pdf(render_brief_html([canada, norway]))
        parts["comparison PDF (2 designs)"].append(time.perf_counter() - t4)
    for name, times in parts.items():
        med, p95 = _stats(times)
        ratio = f"; ratio to the {REFERENCE_S:g} s reference {med / REFERENCE_S:.2f}" if "PDF" in name else ""
        print(f"{name}: median {med:.3f} s, p95 {p95:.3f} s over {repeats} runs{ratio}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
