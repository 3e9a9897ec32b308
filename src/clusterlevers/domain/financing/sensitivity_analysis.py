"""Sensitivity of the headline outputs to the assumption-graded parameters.

Default: a one-at-a-time tornado (each parameter fixed at the low and at the high end of its range,
every other parameter drawn as usual, common random numbers throughout). Options: Morris elementary
effects or Sobol indices through SALib (imported only when asked for).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..design import Design
from ..errors import InputError, Problem
from .parameters import load_parameters
from .programme import build_programme
from .result import SimulationResult
from .simulate import _check_run, run_programme

Progress = Callable[[int, int], None]


def _final(x: np.ndarray) -> float | None:
    v = float(x[-1])
    return v if np.isfinite(v) else None


HEADLINES: dict[str, Callable[[SimulationResult], float | None]] = {
    "self_sustaining_probability": lambda r: r.self_sustaining_probability(),
    "alive_share_final": lambda r: _final(r.bands["alive_share"]["p50"]),
    "public_share_final": lambda r: _final(r.bands["public_share"]["p50"]),
    "budget_drop_at_grant_end": lambda r: r.budget_drop()["p50"],
    "public_cost_per_surviving_cluster_m": lambda r: r.public_cost_per_surviving_cluster()["p50"],
}


def _outputs(res: SimulationResult, names: Sequence[str]) -> dict[str, float | None]:
    out = {}
    for n in names:
        v = HEADLINES[n](res)
        out[n] = None if v is None or not np.isfinite(v) else round(float(v), 6)
    return out


def _swing(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(abs(b - a), 6)


def sensitivity(design: Design, *, draws: int = 200, years: int = 20, seed: int = 0, clusters: int | None = None,
                method: str = "oat", parameters: Sequence[str] | None = None,
                outputs: Sequence[str] | None = None, samples: int = 8,
                progress: Progress | None = None) -> dict[str, Any]:
    """Tornado of headline outputs over the assumption parameters' ranges.

    Args:
        method: ``oat`` (one at a time, low/high; default), ``morris`` or ``sobol`` (SALib).
        parameters: parameter ids to vary (default: every assumption-graded, non-fixed parameter).
        outputs: headline outputs (default: all of :data:`HEADLINES`).
        samples: Morris trajectories or Sobol base sample size.
    Returns ``{method, outputs, baseline, rows:[{parameter, symbol, evidence, low, high, ...}]}`` with rows
    sorted by the swing (OAT) or mu* / total index of the first output.
    """
    _check_run(draws, years, seed)
    spec = load_parameters()
    names = list(outputs or HEADLINES)
    bad = [n for n in names if n not in HEADLINES]
    ids = list(parameters or spec.assumption_ids())
    bad_p = [p for p in ids if p not in spec.by_id or spec.by_id[p].distribution == "fixed"]
    problems = [Problem(f"unknown output; known: {', '.join(HEADLINES)}", field=f"outputs.{n}") for n in bad]
    problems += [Problem("not a varying model parameter", field=f"parameters.{p}") for p in bad_p]
    if method not in ("oat", "morris", "sobol"):
        problems.append(Problem("method must be oat, morris or sobol", field="method"))
    if problems:
        raise InputError(problems)
    prog = build_programme(design, clusters=clusters, spec=spec)

    def run(overrides: dict[str, float], n: int = draws) -> dict[str, float | None]:
        res = run_programme(prog, draws=n, years=years, seed=seed, overrides=overrides, spec=spec,
                            design_name=design.name)
        return _outputs(res, names)

    baseline = run({})
    out: dict[str, Any] = {"design": design.name, "method": method, "draws": draws, "years": years, "seed": seed,
                           "outputs": names, "baseline": baseline}
    if method == "oat":
        rows = []
        total = 2 * len(ids)
        for i, pid in enumerate(ids):
            p = spec.by_id[pid]
            lo, hi = p.range
            r_lo, r_hi = run({pid: lo}), run({pid: hi})
            row: dict[str, Any] = {"parameter": pid, "symbol": p.symbol, "evidence": p.evidence,
                                   "low": lo, "high": hi, "unit": p.unit, "at_low": r_lo, "at_high": r_hi,
                                   "swing": {n: _swing(r_lo[n], r_hi[n]) for n in names}}
            rows.append(row)
            if progress is not None:
                progress(2 * (i + 1), total)
        first = names[0]
        rows.sort(key=lambda r: -(r["swing"][first] or 0.0))
        out["rows"] = rows
        return out

    problem = {"num_vars": len(ids), "names": ids, "bounds": [list(spec.by_id[p].range) for p in ids]}
    n_inner = max(20, draws // 10)  # every parameter is fixed per run: draws only vary clusters and noise
    if method == "morris":
        from SALib.analyze import morris as morris_a
        from SALib.sample import morris as morris_s

        X = morris_s.sample(problem, N=samples, num_levels=4, seed=seed)
    else:
        from SALib.analyze import sobol as sobol_a
        from SALib.sample import sobol as sobol_s

        X = sobol_s.sample(problem, samples, calc_second_order=False, seed=seed)
    Y = np.zeros((X.shape[0], len(names)))
    for k, x in enumerate(X):
        r = run(dict(zip(ids, map(float, x), strict=True)), n_inner)
        Y[k] = [np.nan if r[n] is None else r[n] for n in names]
        if progress is not None:
            progress(k + 1, X.shape[0])
    Y = np.where(np.isfinite(Y), Y, np.nanmean(Y, axis=0))
    stats: dict[str, dict[str, list[float]]] = {}
    for j, n in enumerate(names):
        if method == "morris":
            a = morris_a.analyze(problem, X, Y[:, j], num_levels=4, seed=seed)
            stats[n] = {"mu_star": [float(v) for v in a["mu_star"]], "sigma": [float(v) for v in a["sigma"]]}
        else:
            a = sobol_a.analyze(problem, Y[:, j], calc_second_order=False, seed=seed)
            stats[n] = {"S1": [float(v) for v in a["S1"]], "ST": [float(v) for v in a["ST"]]}
    key = "mu_star" if method == "morris" else "ST"
    rows = []
    for i, pid in enumerate(ids):
        p = spec.by_id[pid]
        rows.append({"parameter": pid, "symbol": p.symbol, "evidence": p.evidence, "low": p.range[0],
                     "high": p.range[1], "unit": p.unit,
                     **{n: {k: round(v[i], 6) for k, v in stats[n].items()} for n in names}})
    rows.sort(key=lambda r: -float(np.nan_to_num(r[names[0]][key])))
    out.update({"rows": rows, "runs": int(X.shape[0]), "draws_per_run": n_inner})
    return out
