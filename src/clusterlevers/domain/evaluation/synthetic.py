"""Synthetic datasets with known true effects (research note §2.6), for tests, benchmarks and examples.

Every number here is a **model assumption** chosen to mimic the evaluation literature summarised in
the research note (§2.3): a +7% R&D effect reached after 3 years (France, INSEE 2014), +5 pp on the
probability of innovating (Bavaria), and zero on productivity (France, Japan). Nothing here is data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

OUTCOMES = ("log_rd", "innovator", "productivity")


@dataclass
class SyntheticStudy:
    """A firm panel and treatment file with the true effects that generated them."""

    panel: pd.DataFrame
    treatment: pd.DataFrame
    true_att: dict[str, float]  # mean effect over treated firms' post-treatment years, per outcome
    true_event: dict[str, dict[int, float]]  # mean effect by event time e = year - cohort
    params: dict[str, object] = field(default_factory=dict)


def firm_panel(n_firms: int = 2000, *, first_year: int = 2010, n_years: int = 12,
               cohorts: tuple[int, ...] = (2013, 2015, 2017), treated_share: float = 0.25,
               effect: float = 0.07, ramp_years: int = 3, cohort_scale: tuple[float, ...] | None = None,
               innovator_effect: float = 0.05, trend: float = 0.02, missing_share: float = 0.0,
               seed: int = 0) -> SyntheticStudy:
    """Staggered membership with selection on observables (§2.6 a).

    * P(treated) rises with log size (``size0``), R&D intensity (``rd_int``, % of sales) and being in
      one of 4 of 12 "cluster regions".
    * ``log_rd = firm effect (size, R&D intensity) + year shock + trend * rd_int * (year - first_year)
      + effect + noise(0.15)``: the covariate-specific trend means parallel trends hold only
      conditional on ``rd_int`` (unadjusted comparisons are biased upwards).
    * The effect ramps linearly to ``effect`` over ``ramp_years`` (e = 0 gets 1/ramp of it).
      ``cohort_scale`` multiplies it per cohort (the heterogeneous case: (2.0, 1.0, 0.2), ramp 5).
    * ``innovator`` (0/1) gets ``innovator_effect`` with the same ramp; ``productivity`` gets none.
    * ``missing_share`` drops that share of firm-years at random (an unbalanced panel).
    """
    rng = np.random.default_rng(seed)
    years = np.arange(first_year, first_year + n_years)
    ids = np.array([f"F{i:05d}" for i in range(n_firms)])
    size0 = rng.normal(3.0, 1.0, n_firms)
    rd_int = np.exp(rng.normal(0.5, 0.55, n_firms))
    region_i = rng.integers(0, 12, n_firms)
    cluster_region = region_i < 4
    sector_i = rng.integers(0, 6, n_firms)
    age = rng.integers(1, 41, n_firms).astype(float)
    z = 0.6 * (size0 - 3.0) + 0.5 * (rd_int - rd_int.mean()) / rd_int.std() + 0.8 * cluster_region
    score = z + rng.logistic(0.0, 1.0, n_firms)
    treated = score >= np.quantile(score, 1.0 - treated_share)
    cohort = np.zeros(n_firms, dtype=int)
    cohort[treated] = rng.choice(np.array(cohorts), size=int(treated.sum()))
    scale = np.ones(n_firms)
    if cohort_scale is not None:
        for c, s in zip(cohorts, cohort_scale, strict=True):
            scale[cohort == c] = s
    T = len(years)
    e = years[None, :] - cohort[:, None]
    post = (cohort[:, None] > 0) & (e >= 0)
    ramp = np.where(post, np.minimum(e + 1, ramp_years) / ramp_years, 0.0)
    tau_rd = effect * scale[:, None] * ramp
    tau_inn = innovator_effect * scale[:, None] * ramp
    tt = (years - first_year)[None, :]
    year_shock = np.cumsum(rng.normal(0.02, 0.03, T))[None, :]
    alpha = 0.8 * size0 + 0.3 * rd_int + rng.normal(0.0, 0.5, n_firms)
    log_rd = alpha[:, None] + year_shock + trend * rd_int[:, None] * tt + tau_rd + rng.normal(0, 0.15, (n_firms, T))
    p0 = (0.3 + 0.04 * (size0 - 3.0) + 0.03 * (rd_int - 1.9) + rng.normal(0, 0.05, n_firms))[:, None] + 0.005 * tt
    p0 = np.clip(p0, 0.02, 0.9)
    innovator = (rng.uniform(size=(n_firms, T)) < p0 + tau_inn).astype(float)
    beta = 0.5 * size0 + rng.normal(0, 0.3, n_firms)
    productivity = (beta[:, None] + 0.01 * tt + 0.005 * rd_int[:, None] * tt
                    + rng.normal(0, 0.1, (n_firms, T)))
    sectors = np.array(["manufacturing", "ict", "energy", "health", "food", "services"])
    regions = np.array([f"R{r:02d}" for r in range(12)])
    panel = pd.DataFrame({
        "firm_id": np.repeat(ids, T), "year": np.tile(years, n_firms),
        "log_rd": log_rd.ravel().round(5), "innovator": innovator.ravel().astype(int),
        "productivity": productivity.ravel().round(5),
        "size0": np.repeat(size0.round(4), T), "rd_int": np.repeat(rd_int.round(4), T),
        "age": np.repeat(age, T).astype(int), "sector": np.repeat(sectors[sector_i], T),
        "region": np.repeat(regions[region_i], T)})
    if missing_share > 0:
        keep = rng.uniform(size=len(panel)) >= missing_share
        panel = panel.loc[keep].reset_index(drop=True)
        flat = np.zeros(n_firms * T, dtype=bool)
        flat[np.flatnonzero(keep)] = True
        observed = flat.reshape(n_firms, T)
    else:
        observed = np.ones((n_firms, T), dtype=bool)
    treatment = pd.DataFrame({"firm_id": ids,
                              "treatment_year": pd.array(np.where(cohort > 0, cohort, 0), dtype="Int64"),
                              "score": (50 + 10 * score).round(2)})
    treatment.loc[cohort == 0, "treatment_year"] = pd.NA
    mask = post & observed
    true_att = {"log_rd": float(tau_rd[mask].mean()) if mask.any() else 0.0,
                "innovator": float(tau_inn[mask].mean()) if mask.any() else 0.0, "productivity": 0.0}
    true_event: dict[str, dict[int, float]] = {k: {} for k in OUTCOMES}
    treated_obs = (cohort[:, None] > 0) & observed
    for ev in np.unique(e[treated_obs]):
        m = treated_obs & (e == ev)
        true_event["log_rd"][int(ev)] = float(tau_rd[m].mean())
        true_event["innovator"][int(ev)] = float(tau_inn[m].mean())
        true_event["productivity"][int(ev)] = 0.0
    params = {"n_firms": n_firms, "years": [int(years[0]), int(years[-1])], "cohorts": list(cohorts),
              "treated_share": treated_share, "effect": effect, "ramp_years": ramp_years,
              "cohort_scale": list(cohort_scale) if cohort_scale else None, "trend": trend, "seed": seed}
    return SyntheticStudy(panel=panel, treatment=treatment, true_att=true_att, true_event=true_event, params=params)


def monitoring_panel(n_clusters: int = 8, *, first_year: int = 2015, n_years: int = 8, seed: int = 0) -> pd.DataFrame:
    """A cluster monitoring panel in the §2.5 schema: growing membership, a tapering public share,
    projects with private co-investment, and a three-tier ladder (promotions happen)."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(n_clusters):
        members = int(rng.integers(20, 60))
        public = rng.uniform(0.8, 2.0)
        fees = public * rng.uniform(0.1, 0.3)
        services = public * rng.uniform(0.05, 0.2)
        tier = 1 + int(rng.integers(0, 2))
        for k in range(n_years):
            members = int(members * rng.uniform(1.0, 1.12))
            public *= rng.uniform(0.88, 1.0)
            fees *= rng.uniform(1.02, 1.15)
            services *= rng.uniform(1.0, 1.2)
            projects_n = int(rng.poisson(3 + members / 15))
            projects_eur = projects_n * rng.uniform(0.2, 0.6)
            coinvest = projects_eur * rng.uniform(0.3, 0.6)
            if k > 0 and tier < 3 and rng.uniform() < 0.15:
                tier += 1
            rows.append({"cluster_id": f"CL{c + 1:02d}", "year": first_year + k, "members": members,
                         "fte": round(2 + members / 25 + rng.uniform(0, 1), 1),
                         "budget_public": round(public, 3), "budget_fees": round(fees, 3),
                         "budget_services": round(services, 3), "budget_projects": round(rng.uniform(0.1, 0.8), 3),
                         "private_coinvest": round(coinvest, 3), "projects_n": projects_n,
                         "projects_eur": round(projects_eur, 3), "tier": tier})
    return pd.DataFrame(rows)
