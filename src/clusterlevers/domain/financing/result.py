"""The result of a financing simulation: percentile bands, headline numbers, provenance."""

from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from .engine import PUBLIC_STREAMS, STREAMS
from .parameters import ParameterFile
from .programme import Programme

BAND_METRICS = ("public_share", "private_share", "program_share", "budget", "members", "staff", "alive_share")
KEY_UNKNOWNS = ("churn_fee_sensitivity", "wtp_base", "wtp_value")
# which model channels (the parameters' `feeds`) each headline output rests on
OUTPUT_CHANNELS: dict[str, tuple[str, ...]] = {
    "public_share": ("revenue", "members", "maturity"),
    "budget": ("revenue", "members", "maturity", "staff"),
    "members": ("members", "maturity", "staff"),
    "alive_share": ("survival", "members", "staff", "revenue", "maturity"),
    "year_private_share_50": ("revenue", "members", "maturity"),
    "budget_drop_at_grant_end": ("revenue", "members", "maturity", "public_money"),
    "alive_after_grant_end": ("survival", "members", "staff", "revenue", "maturity"),
    "self_sustaining_probability": ("self_sustaining", "survival", "members", "staff", "revenue", "maturity"),
    "public_cost_per_surviving_cluster_m": ("public_money", "survival", "members", "staff", "revenue"),
}


def row_quantiles(x: np.ndarray, qs: tuple[float, ...] = (0.1, 0.5, 0.9)) -> list[np.ndarray]:
    """Quantiles of each row of a 2-D array ignoring NaN, with numpy's default linear interpolation.

    Written here because np.nanpercentile falls back to a slow per-row Python loop when NaNs are present.
    """
    s = np.sort(x, axis=1)  # NaN sorts last
    n = (~np.isnan(x)).sum(axis=1)
    rows = np.arange(x.shape[0])
    out = []
    for q in qs:
        pos = q * np.maximum(n - 1, 0)
        lo = np.floor(pos).astype(int)
        hi = np.minimum(lo + 1, np.maximum(n - 1, 0))
        frac = pos - lo
        v = s[rows, lo] * (1 - frac) + s[rows, hi] * frac
        out.append(np.where(n > 0, v, np.nan))
    return out


def _pct(x: np.ndarray) -> dict[str, np.ndarray]:
    p = row_quantiles(x)
    return {"p10": p[0], "p50": p[1], "p90": p[2]}


def _num(x: float | None, digits: int = 4) -> float | None:
    if x is None or not math.isfinite(x):
        return None
    return round(float(x), digits)


@dataclass
class SimulationResult:
    """Outputs of :func:`simulate`. ``bands`` holds per-year p10/p50/p90 arrays; ``summary()`` the JSON."""

    design_name: str
    programme: Programme
    spec: ParameterFile
    years: int
    draws: int
    seed: int
    sums: dict[str, np.ndarray]       # (T, S) portfolio sums per draw, kEUR / counts
    alive: np.ndarray                 # (T, S, C) bool
    viable: np.ndarray                # (T, S, C) bool
    rev_before_end: np.ndarray        # (S, C)
    rev_at_end: np.ndarray            # (S, C)
    overrides: dict[str, float] = field(default_factory=dict)
    full: dict[str, np.ndarray] = field(default_factory=dict)
    equal_money: dict[str, Any] | None = None

    # ----------------------------------------------------------------- bands
    @property
    def money_factor(self) -> float:
        """kEUR -> millions of the design currency."""
        return 1.0 / 1000.0 / self.programme.eur_per_unit

    def per_draw(self, metric: str) -> np.ndarray:
        """(T, S) per-draw portfolio value of a band metric."""
        s = self.sums
        with np.errstate(divide="ignore", invalid="ignore"):
            rev = np.where(s["revenue"] > 0, s["revenue"], np.nan)
            alive = np.where(s["alive"] > 0, s["alive"], np.nan)
            if metric == "public_share":
                return sum(s[k] for k in PUBLIC_STREAMS) / rev
            if metric == "private_share":
                return sum(s[k] for k in STREAMS if k not in PUBLIC_STREAMS) / rev
            if metric == "program_share":
                return s["program_grant"] / rev
            if metric == "budget":
                return s["revenue"] / alive * self.money_factor
            if metric == "members":
                return s["members"] / alive
            if metric == "staff":
                return s["staff"] / alive
            if metric == "alive_share":
                return s["alive"] / self.programme.clusters
        raise KeyError(metric)

    @cached_property
    def bands(self) -> dict[str, dict[str, np.ndarray]]:
        """Per-year p10/p50/p90 across draws of portfolio public share, budget per live cluster
        (millions of design currency), members per live cluster, alive share, and more."""
        return {m: _pct(self.per_draw(m)) for m in BAND_METRICS}

    # ----------------------------------------------------------------- headline numbers
    @property
    def grant_end_year(self) -> int:
        """1-based program year of the first year without the full committed grant."""
        return self.programme.grant_end_index + 1

    def alive_after_grant_end(self, k: int) -> float | None:
        idx = self.programme.grant_end_index + k
        if idx >= self.years:
            return None
        return float(self.alive[idx].mean())

    def year_private_share_50(self) -> int | None:
        p50 = self.bands["private_share"]["p50"]
        hit = np.nonzero(np.nan_to_num(p50, nan=0.0) >= 0.5)[0]
        return int(hit[0]) + 1 if hit.size else None

    def budget_drop(self) -> dict[str, float | None]:
        t_end = self.programme.grant_end_index
        if t_end <= 0 or t_end >= self.years:
            return {"p10": None, "p50": None, "p90": None}
        before, at = self.rev_before_end, self.rev_at_end
        ok = np.isfinite(before) & (before > 0)
        if not ok.any():
            return {"p10": None, "p50": None, "p90": None}
        drop = 1.0 - at[ok] / before[ok]
        p = np.percentile(drop, [10, 50, 90])
        return {"p10": _num(p[0]), "p50": _num(p[1]), "p90": _num(p[2])}

    def self_sustaining_probability(self) -> float:
        window = min(3, self.years)
        ok = self.alive[-1] & self.viable[-window:].all(axis=0)
        return float(ok.mean())

    def public_cost_per_surviving_cluster(self) -> dict[str, float | None]:
        money = self.sums["program_money"].sum(axis=0) * self.money_factor  # (S,)
        survivors = self.alive[-1].sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            per = np.where(survivors > 0, money / survivors, np.inf)
        p = np.percentile(per, [10, 50, 90])
        return {"p10": _num(p[0], 6), "p50": _num(p[1], 6), "p90": _num(p[2], 6),
                "draws_without_survivors": _num(float((survivors == 0).mean()))}

    def public_money(self) -> dict[str, float | None]:
        money = self.sums["program_money"].sum(axis=0) * self.money_factor
        planned = self.sums["program_planned"].sum(axis=0) * self.money_factor
        scale = self.programme.portfolio_size / self.programme.clusters
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = float(np.nanmedian(np.where(planned > 0, money / planned, np.nan))) if planned.any() else None
        return {"per_cluster_total_m_p50": _num(float(np.median(money)) / self.programme.clusters, 6),
                "portfolio_total_m_p50": _num(float(np.median(money)) * scale, 6),
                "disbursed_share_of_plan_p50": _num(ratio) if ratio is not None else None}

    # ----------------------------------------------------------------- provenance
    def assumptions(self) -> dict[str, Any]:
        spec = self.spec
        assumed = [p for p in spec.parameters if p.evidence == "assumption" and p.id not in self.overrides]
        outputs = {out: sorted(p.id for p in assumed if set(p.feeds) & set(ch))
                   for out, ch in OUTPUT_CHANNELS.items()}
        rules = [{"rule": r, "evidence": spec.rule(r).evidence, "description": spec.rule(r).description}
                 for r in self.programme.rules_used]
        return {
            "note": ("Every output below rests on assumption-graded behavioural parameters (ranges, not evidence); "
                     "the structure, floors, starting sizes and program rules are evidence where graded so. "
                     "Run --sensitivity for the tornado over these ranges."),
            "key_unknowns": list(KEY_UNKNOWNS),
            "outputs": outputs,
            "design_rules": [r for r in rules if r["evidence"] == "assumption"],
            "overridden_parameters": dict(self.overrides),
        }

    def parameters(self) -> list[dict[str, Any]]:
        out = []
        for p in self.spec.parameters:
            d = p.provenance()
            if p.id in self.overrides:
                d["fixed_to"] = self.overrides[p.id]
            out.append(d)
        return out

    # ----------------------------------------------------------------- outputs
    def summary(self) -> dict[str, Any]:
        """The JSON document of ``clusterlevers simulate --json``."""
        b = self.bands
        prog = self.programme

        def lst(x: np.ndarray, d: int = 4) -> list[float | None]:
            return [_num(v, d) for v in x.tolist()]

        def band(m: str, d: int = 4) -> dict[str, list[float | None]]:
            return {k: lst(b[m][k], d) for k in ("p10", "p50", "p90")}

        drop = self.budget_drop()
        cost = self.public_cost_per_surviving_cluster()
        out: dict[str, Any] = {
            "design": self.design_name,
            "years": list(range(1, self.years + 1)),
            "draws": self.draws,
            "seed": self.seed,
            "clusters_simulated": prog.clusters,
            "portfolio_size": prog.portfolio_size,
            "currency": prog.currency,
            "money_unit": f"million {prog.currency}",
            "public_share": band("public_share"),
            "private_share": band("private_share"),
            "program_share": band("program_share"),
            "alive_share": band("alive_share"),
            "budget": band("budget", 6),
            "members": band("members", 2),
            "staff": band("staff", 2),
            "self_sustaining_probability": _num(self.self_sustaining_probability()),
            "year_private_share_50": self.year_private_share_50(),
            "grant_end_year": self.grant_end_year if prog.grant_end_index < self.years else None,
            "budget_drop_at_grant_end": drop["p50"],
            "budget_drop_at_grant_end_band": drop,
            "alive_3y_after_grant_end": _num(self.alive_after_grant_end(3)),
            "alive_5y_after_grant_end": _num(self.alive_after_grant_end(5)),
            "public_cost_per_surviving_cluster_m": cost["p50"],
            "public_cost_per_surviving_cluster_band": cost,
            "public_money": self.public_money(),
            "programme": {"grant_per_cluster_year_m": _num(prog.grant_keur * self.money_factor * prog.scale, 6),
                          "horizon_years": prog.horizon, "revenue_transition": prog.transition,
                          "match_ratio": _num(prog.match_ratio), "funding_uses": prog.uses,
                          "org_share": prog.org_share, "performance_share": prog.phi,
                          "gate_every_years": prog.gate_every, "maturity_focus": prog.maturity_focus},
            "defaulted_levers": list(prog.defaulted),
            "assumptions": self.assumptions(),
            "parameters": self.parameters(),
            "notes": self.notes(),
        }
        if self.equal_money is not None:
            out["equal_public_money"] = self.equal_money
        return out

    def notes(self) -> list[str]:
        prog = self.programme
        notes = []
        if prog.clusters < prog.portfolio_size:
            notes.append(f"{prog.clusters} of the portfolio's {prog.portfolio_size} clusters are simulated per "
                         "draw (capped for speed); shares and per-cluster figures are unaffected, portfolio totals "
                         "are scaled up.")
        if prog.currency != "EUR":
            notes.append(f"EUR-denominated model parameters converted to {prog.currency} at "
                         f"{1 / prog.eur_per_unit:.4g} {prog.currency} per EUR (ECB annual average).")
        if prog.transition == "permanent_core":
            notes.append("permanent core: after the horizon the grant continues at the core level, so 'grant end' "
                         "means the step down to core funding.")
        notes.append("bands are p10/p50/p90 across draws of portfolio values; budget and members are per live "
                     "cluster; 'N years after grant end' counts from the first year without the full grant.")
        return notes

    def to_csv(self, path: str | os.PathLike[str]) -> None:
        """Write the per-year bands as CSV: year, then <metric>_p10/_p50/_p90 for each band metric."""
        b = self.bands
        cols = [f"{m}_{q}" for m in BAND_METRICS for q in ("p10", "p50", "p90")]
        rows = []
        for t in range(self.years):
            row: list[Any] = [t + 1]
            for m in BAND_METRICS:
                for q in ("p10", "p50", "p90"):
                    v = b[m][q][t]
                    row.append("" if not np.isfinite(v) else f"{v:.6g}")
            rows.append(row)
        tmp = f"{os.fspath(path)}.tmp"
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["year", *cols])
            w.writerows(rows)
        os.replace(tmp, path)
