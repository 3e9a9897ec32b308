"""Monte Carlo driver: random numbers, blocks of draws, equal-public-money mode, fast median projection."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import lru_cache
from typing import Any

import numpy as np

from ..design import Design
from ..errors import InputError, Problem
from .engine import BlockOut, Noise, run_block
from .parameters import ParameterFile, check_overrides, load_parameters, sample_block
from .programme import MAX_CLUSTERS, Programme, build_programme
from .result import SimulationResult, row_quantiles

BLOCK = 1000          # draws per block; random numbers are generated per block, so results do not
                      # depend on memory chunking and the first block of a bigger run is reused
Progress = Callable[[int, int], None]


def make_noise(seed: int, block: int, n: int, cmax: int, years: int, n_params: int) -> Noise:
    """Random numbers for draws [block*BLOCK, block*BLOCK+n): independent of the design (common random
    numbers), and of ``years`` for the years both runs share."""
    rng = np.random.default_rng([seed, block, 0])
    u_params = rng.random((n_params, n))
    z_params = rng.standard_normal((n_params, n, cmax))
    u_tier = rng.random((n, cmax))
    u_maturity = rng.random((n, cmax))
    perf = np.random.default_rng([seed, block, 1]).standard_normal((years, n, cmax))
    merge = np.random.default_rng([seed, block, 2]).random((years, n, cmax))
    return Noise(u_params, z_params, u_tier, u_maturity, perf, merge)


def _check_run(draws: int, years: int, seed: int) -> None:
    problems = []
    if not isinstance(draws, int) or not 1 <= draws <= 1_000_000:
        problems.append(Problem(f"draws must be a whole number from 1 to 1000000, got {draws!r}", field="draws"))
    if not isinstance(years, int) or not 1 <= years <= 60:
        problems.append(Problem(f"years must be a whole number from 1 to 60, got {years!r}", field="years"))
    if not isinstance(seed, int) or seed < 0:
        problems.append(Problem(f"seed must be a non-negative whole number, got {seed!r}", field="seed"))
    if problems:
        raise InputError(problems)


def run_programme(prog: Programme, *, draws: int, years: int, seed: int, overrides: Mapping[str, float],
                  spec: ParameterFile, design_name: str, progress: Progress | None = None,
                  record_full: bool = False, spread_scale: float = 1.0) -> SimulationResult:
    """Simulate a prepared :class:`Programme` (used by simulate, sensitivity and calibration tests)."""
    cmax = max(prog.clusters, MAX_CLUSTERS)
    n_params = len(spec.parameters)
    outs: list[BlockOut] = []
    done = 0
    block = 0
    while done < draws:
        n = min(BLOCK, draws - done)
        noise = make_noise(seed, block, n, cmax, years, n_params)
        P = sample_block(spec, noise.u_params, noise.z_params, overrides, prog.clusters, spread_scale)
        outs.append(run_block(prog, spec, P, noise, years, record_full=record_full))
        done += n
        block += 1
        if progress is not None:
            progress(done, draws)
    def cat(xs: list[np.ndarray], ax: int) -> np.ndarray:
        return xs[0] if len(xs) == 1 else np.concatenate(xs, axis=ax)

    sums = {k: cat([o.sums[k] for o in outs], 1) for k in outs[0].sums}
    full = {k: cat([o.full[k] for o in outs], 1) for k in outs[0].full} if record_full else {}
    return SimulationResult(
        design_name=design_name, programme=prog, spec=spec, years=years, draws=draws, seed=seed, sums=sums,
        alive=cat([o.alive for o in outs], 1), viable=cat([o.viable for o in outs], 1),
        rev_before_end=cat([o.rev_before_end for o in outs], 0), rev_at_end=cat([o.rev_at_end for o in outs], 0),
        overrides=dict(overrides), full=full)


def _total_public_keur(res: SimulationResult) -> float:
    """Mean over draws of the program money disbursed to the whole portfolio, kEUR."""
    per_cluster = res.sums["program_money"].sum(axis=0).mean() / res.programme.clusters
    return float(per_cluster * res.programme.portfolio_size)


def simulate(design: Design, *, draws: int = 1000, years: int = 20, seed: int = 0, clusters: int | None = None,
             params: Mapping[str, float] | None = None, equal_public_money_with: Design | None = None,
             progress: Progress | None = None, record_full: bool = False,
             spread_scale: float = 1.0) -> SimulationResult:
    """Simulate how the design's funded clusters move from public to private and own revenue.

    Args:
        design: the program design; unset levers take the canvas defaults (listed in the result).
        draws: Monte Carlo draws; each draws program-wide parameter values from their ranges.
        years: simulated program years.
        seed: random seed; the same seed gives identical output, and designs run with the same seed
            share their random numbers (common random numbers), so differences are the design's.
        clusters: clusters simulated per draw (default: the portfolio size, capped at 50).
        params: fixed program-wide values for model parameters, ``{parameter id: value}``.
        equal_public_money_with: another design; this design's grant is rescaled so that the total
            public money actually disbursed equals the other's (cliff vs taper vs match at equal cost).
        progress: optional ``callback(done_draws, total_draws)``.
        record_full: keep (year, draw, cluster) arrays of every stream and state in ``result.full``.
        spread_scale: multiplier on cluster-to-cluster heterogeneity (0 = identical clusters).
    """
    _check_run(draws, years, seed)
    spec = load_parameters()
    overrides = check_overrides(params, spec)
    prog = build_programme(design, clusters=clusters, spec=spec)
    kw: dict[str, Any] = dict(draws=draws, years=years, seed=seed, overrides=overrides, spec=spec,
                              design_name=design.name, record_full=record_full, spread_scale=spread_scale)
    if equal_public_money_with is None:
        return run_programme(prog, progress=progress, **kw)

    ref_prog = build_programme(equal_public_money_with, clusters=clusters, spec=spec)
    target = _total_public_keur(run_programme(ref_prog, **{**kw, "design_name": equal_public_money_with.name,
                                                          "record_full": False}))
    scale = 1.0
    res = run_programme(prog, **kw)
    achieved = _total_public_keur(res)
    for _ in range(6):
        if achieved <= 0 or abs(achieved - target) <= 0.005 * max(target, 1e-9):
            break
        scale = float(np.clip(scale * target / achieved, 0.0, 50.0))
        res = run_programme(replace(prog, scale=scale), **kw)
        achieved = _total_public_keur(res)
    if progress is not None:
        progress(draws, draws)
    factor = res.money_factor
    res.equal_money = {"reference_design": equal_public_money_with.name, "grant_scale": round(scale, 6),
                       "target_total_public_m": round(target * factor, 6),
                       "achieved_total_public_m": round(achieved * factor, 6),
                       "note": ("grant level rescaled so the portfolio's total disbursed public money equals the "
                                "reference design's (mean over draws)")}
    return res


# ------------------------------------------------------------------ fast median projection for the panel
FAST_DRAWS = 24
FAST_CLUSTERS = 8
FAST_SEED = 20240501


@lru_cache(maxsize=8)
def _fast_inputs(years: int) -> tuple[Noise, dict[str, np.ndarray]]:
    spec = load_parameters()
    noise = make_noise(FAST_SEED, 0, FAST_DRAWS, FAST_CLUSTERS, years, len(spec.parameters))
    P = sample_block(spec, noise.u_params, noise.z_params, {}, FAST_CLUSTERS)
    return noise, P


@lru_cache(maxsize=512)
def _project_cached(prog: Programme, name: str, years: int) -> dict[str, Any]:
    spec = load_parameters()
    noise, P = _fast_inputs(years)
    out = run_block(prog, spec, P, noise, years)
    res = SimulationResult(design_name=name, programme=prog, spec=spec, years=years, draws=FAST_DRAWS,
                           seed=FAST_SEED, sums=out.sums, alive=out.alive, viable=out.viable,
                           rev_before_end=out.rev_before_end, rev_at_end=out.rev_at_end)
    med = {m: row_quantiles(res.per_draw(m), (0.5,))[0] for m in
           ("public_share", "private_share", "program_share", "budget", "members", "alive_share")}

    def r(x: float, d: int = 4) -> float | None:
        return round(float(x), d) if np.isfinite(x) else None

    drop = res.budget_drop()["p50"]
    return {
        "year": list(range(1, years + 1)),
        **{f"{m}_p50": [r(v, 6 if m == "budget" else 4) for v in med[m]] for m in med},
        "headline": {
            "year_private_share_50": res.year_private_share_50(),
            "grant_end_year": res.grant_end_year if prog.grant_end_index < years else None,
            "budget_drop_at_grant_end": drop,
            "alive_3y_after_grant_end": res.alive_after_grant_end(3),
            "alive_5y_after_grant_end": res.alive_after_grant_end(5),
            "self_sustaining_probability": round(res.self_sustaining_probability(), 4),
            "public_cost_per_surviving_cluster_m": res.public_cost_per_surviving_cluster()["p50"],
        },
        "currency": prog.currency,
        "money_unit": f"million {prog.currency}",
        "draws": FAST_DRAWS,
        "clusters": FAST_CLUSTERS,
        "defaulted_levers": list(prog.defaulted),
        "note": (f"fast median of {FAST_DRAWS} draws x {FAST_CLUSTERS} clusters with a fixed seed; "
                 "run simulate for bands"),
    }


def project_median(design: Design, years: int = 15) -> dict[str, Any]:
    """Fast median projection for the interactive panel (cached on the design's lever values).

    Returns per-year lists ``year, public_share_p50, private_share_p50, program_share_p50, budget_p50,
    members_p50, alive_share_p50`` and ``headline`` numbers.
    """
    _check_run(FAST_DRAWS, years, 0)
    prog = build_programme(design, clusters=FAST_CLUSTERS)
    out = _project_cached(prog, design.name, years)
    return {**out, "headline": dict(out["headline"])}
