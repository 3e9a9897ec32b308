"""Callaway & Sant'Anna (2021) staggered DiD, written in-house with numpy.

Why in-house: the Python ports (``csdid``, ``differences``) are young single-maintainer packages, and
the research note asks for a small reference implementation the tests can rely on (docs/evaluation.md
records the licence check). What it does, following the R ``did``/``DRDID`` packages:

* ATT(g,t) for every cohort g (first treatment year) and year t, comparing cohort g with the
  never-treated firms by **outcome regression** DiD (Sant'Anna & Zhao 2020, ``reg_did_panel``): the
  change Y_t - Y_base of the controls is regressed on baseline covariates and the treated firms'
  changes are compared with their predicted counterfactual changes.
  Base period: g-1 for t >= g; t-1 for t < g ("varying" base, so pre-period cells are placebo
  short differences).
* Influence functions per firm give analytic, firm-clustered standard errors; aggregations (overall
  ATT over treated post-treatment firm-years, event study by e = t - g) weight cells by cohort size
  and include the estimated weights' influence function.
* Optional Rademacher multiplier bootstrap on the influence functions (simultaneous event-study band).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .common import Wide, bootstrap_se, multiplier_bootstrap, overlap_summary, propensity, se_from_if, wald

Z95 = 1.959963984540054


@dataclass
class Cell:
    g: int
    t: int
    base: int
    att: float
    n_treated: int
    n_control: int

    @property
    def e(self) -> int:
        return self.t - self.g


@dataclass
class CSFit:
    cells: list[Cell]
    inf: np.ndarray  # n x n_cells, full-sample scaled influence functions
    n: int
    wide: Wide
    skipped: list[str] = field(default_factory=list)


def att_gt(w: Wide) -> CSFit:
    """All identifiable ATT(g,t) cells with their influence functions."""
    n = w.n
    control = w.g == 0
    cells: list[Cell] = []
    infs: list[np.ndarray] = []
    skipped: list[str] = []
    k = w.X.shape[1]
    for g in w.cohorts:
        treated = w.g == g
        for t in w.years:
            t = int(t)
            base = g - 1 if t >= g else t - 1
            ci, cb = w.col(t), w.col(base)
            if ci is None or cb is None or t == base:
                continue
            dy = w.Y[:, ci] - w.Y[:, cb]
            ok = np.isfinite(dy)
            D = treated & ok
            C = control & ok
            if D.sum() == 0 or C.sum() <= k:
                skipped.append(f"ATT({g},{t}) not estimable: {int(D.sum())} treated, {int(C.sum())} control firms")
                continue
            att, inf_sub, sub = _reg_did(dy, D, C, w.X)
            full = np.zeros(n)
            full[sub] = inf_sub * (n / sub.sum())
            cells.append(Cell(g=g, t=t, base=base, att=att, n_treated=int(D.sum()), n_control=int(C.sum())))
            infs.append(full)
    inf = np.column_stack(infs) if infs else np.zeros((n, 0))
    return CSFit(cells=cells, inf=inf, n=n, wide=w, skipped=skipped)


def _reg_did(dy: np.ndarray, D: np.ndarray, C: np.ndarray, X: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """Outcome-regression DiD on one 2x2 comparison, with its influence function (DRDID reg_did_panel)."""
    sub = D | C
    d = D[sub].astype(float)
    y = dy[sub]
    Xs = X[sub]
    Xc = Xs[d == 0]
    beta, *_ = np.linalg.lstsq(Xc, y[d == 0], rcond=None)
    out = Xs @ beta
    mw = d.mean()
    eta_treat = (d * y).mean() / mw
    eta_cont = (d * out).mean() / mw
    att = float(eta_treat - eta_cont)
    inf_treat = (d * y - d * eta_treat) / mw
    inf_cont1 = d * out - d * eta_cont
    XpX = Xc.T @ Xc / len(d)
    XpX_inv = np.linalg.pinv(XpX, hermitian=True)
    resid = (1 - d) * (y - out)
    M1 = (d[:, None] * Xs).mean(axis=0)
    inf_cont2 = (resid[:, None] * Xs) @ (XpX_inv @ M1)
    inf = inf_treat - (inf_cont1 + inf_cont2) / mw
    return att, inf, sub


def _aggregate(fit: CSFit, idx: list[int]) -> tuple[float, np.ndarray]:
    """Cohort-size-weighted average of cells ``idx`` and its influence function (with weight IF)."""
    w = fit.wide
    gs = np.array([fit.cells[i].g for i in idx])
    att = np.array([fit.cells[i].att for i in idx])
    pg = np.array([(w.g == g).mean() for g in gs])
    S = pg.sum()
    wts = pg / S
    ind = (w.g[:, None] == gs[None, :]).astype(float)  # n x K
    wif = (ind - pg) / S - np.outer((ind - pg).sum(axis=1), pg) / S**2
    inf = fit.inf[:, idx] @ wts + wif @ att
    return float(wts @ att), inf


def estimate_cs(w: Wide, *, bootstrap: int = 0, seed: int = 0,
                progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    fit = att_gt(w)
    n = w.n
    warnings = list(fit.skipped[:5])
    post = [i for i, c in enumerate(fit.cells) if c.t >= c.g]
    pre = [i for i, c in enumerate(fit.cells) if c.t < c.g]
    if not post:
        from ...errors import InputError

        raise InputError.single("no post-treatment comparison can be estimated: need treated firms observed in "
                                "the year before and after treatment, and never-treated firms", field="treatment")
    att, inf_att = _aggregate(fit, post)
    se = float(se_from_if(inf_att[:, None], n)[0])
    # Event study
    es_rows: list[dict[str, Any]] = []
    es_inf: list[np.ndarray] = []
    for e in sorted({fit.cells[i].e for i in range(len(fit.cells))}):
        idx = [i for i, c in enumerate(fit.cells) if c.e == e]
        est, inf_e = _aggregate(fit, idx)
        es_rows.append({"e": e, "att": est, "n_cohorts": len(idx),
                        "n_treated": int(sum(fit.cells[i].n_treated for i in idx))})
        es_inf.append(inf_e)
    es_inf_m = np.column_stack(es_inf)
    es_se = se_from_if(es_inf_m, n)
    crit = np.full(len(es_rows), Z95)
    boot_info: dict[str, Any] = {}
    if bootstrap > 0:
        allinf = np.column_stack([inf_att, es_inf_m])
        boot = multiplier_bootstrap(allinf, n, bootstrap, seed, progress)
        bse = bootstrap_se(boot)
        se = float(bse[0])
        es_se = bse[1:]
        with np.errstate(divide="ignore", invalid="ignore"):
            tstat = np.abs(boot[:, 1:] / np.where(es_se > 0, es_se, np.nan))
        sup = np.nanmax(tstat, axis=1)
        c = float(np.quantile(sup, 0.95)) if np.isfinite(sup).any() else Z95
        crit = np.full(len(es_rows), c)
        boot_info = {"draws": bootstrap, "seed": seed, "type": "Rademacher multiplier on influence functions",
                     "event_study_band": "simultaneous 95% (sup-t)", "critical_value": round(c, 3)}
    for row, s, cv in zip(es_rows, es_se, crit, strict=True):
        row["se"] = float(s)
        row["ci95"] = [float(row["att"]) - cv * s, float(row["att"]) + cv * s]
    pre_p, pre_df = wald(np.array([fit.cells[i].att for i in pre]), fit.inf[:, pre], n)
    het_p, het_df = _cohort_heterogeneity(fit)
    by_cohort = []
    for g in w.cohorts:
        idx = [i for i in post if fit.cells[i].g == g]
        if idx:
            est, inf_g = _aggregate(fit, idx)
            by_cohort.append({"cohort": g, "att": est, "se": float(se_from_if(inf_g[:, None], n)[0]),
                              "n_firms": int((w.g == g).sum()), "post_periods": len(idx),
                              "pre_periods": int(sum(1 for y in w.years if y < g))})
    return {
        "att": att, "se": se, "ci95": [att - Z95 * se, att + Z95 * se],
        "n_treated": int((w.g > 0).sum()), "n_control": int((w.g == 0).sum()),
        "pretrend_p": pre_p, "pretrend_df": pre_df,
        "event_study": es_rows,
        "att_gt": [{"cohort": c.g, "year": c.t, "base_year": c.base, "e": c.e, "att": c.att,
                    "se": float(s), "n_treated": c.n_treated, "n_control": c.n_control}
                   for c, s in zip(fit.cells, se_from_if(fit.inf, n), strict=True)],
        "by_cohort": by_cohort,
        "cohort_heterogeneity_p": het_p, "cohort_heterogeneity_df": het_df,
        "overlap": cs_overlap(w),
        "bootstrap": boot_info,
        "warnings": warnings,
    }


def _cohort_heterogeneity(fit: CSFit) -> tuple[float | None, int]:
    """Wald test that cohorts have the same effect at the same event time e >= 0."""
    theta, infs = [], []
    for e in sorted({c.e for c in fit.cells if c.e >= 0}):
        idx = [i for i, c in enumerate(fit.cells) if c.e == e]
        for j in idx[1:]:
            theta.append(fit.cells[j].att - fit.cells[idx[0]].att)
            infs.append(fit.inf[:, j] - fit.inf[:, idx[0]])
    if not theta:
        return None, 0
    return wald(np.array(theta), np.column_stack(infs), fit.n)


def cs_overlap(w: Wide) -> dict[str, Any]:
    """Propensity-score overlap of each cohort with the never-treated, on the baseline covariates."""
    if w.X.shape[1] <= 1:
        return {"note": "no covariates: overlap not assessed"}
    out: dict[str, Any] = {}
    control = w.g == 0
    worst: dict[str, float] = {"treated_outside_control_support": 0.0, "treated_pscore_above_0_95": 0.0}
    for g in w.cohorts:
        sub = (w.g == g) | control
        d = (w.g[sub] == g)
        p = propensity(w.X[sub][:, 1:], d)
        s = overlap_summary(p[d], p[~d])
        out[str(g)] = s
        for key in worst:
            worst[key] = max(worst[key], s[key])
    return {"by_cohort": out, "worst": worst}
