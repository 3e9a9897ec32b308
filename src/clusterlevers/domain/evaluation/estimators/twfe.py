"""Two-way fixed-effects DiD and event study, by within-transformation with numpy/scipy.

Why not ``linearmodels``/``pyfixest``: neither is a dependency of the project, and the regression
needed here (firm and year effects, covariate-by-year terms, firm-clustered errors) is a few lines of
alternating projections. Covariates are time-invariant baseline values, so they enter as
covariate x year terms (the firm effect absorbs their level).

Also computes the de Chaisemartin & D'Haultfoeuille (2020) weights that the static TWFE coefficient
puts on treated firm-years: negative weights mean it can be biased, even of the wrong sign, when
effects differ across cohorts or over time since treatment.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse

from .common import Wide, wald

Z95 = 1.959963984540054


class _Within:
    """Firm and year demeaning by alternating projections (exact in one pass for balanced panels)."""

    def __init__(self, unit: np.ndarray, time: np.ndarray, n_units: int, n_times: int) -> None:
        n = len(unit)
        self.F = sparse.csr_matrix((np.ones(n), (np.arange(n), unit)), shape=(n, n_units))
        self.T = sparse.csr_matrix((np.ones(n), (np.arange(n), time)), shape=(n, n_times))
        self.fc = np.asarray(self.F.sum(axis=0)).ravel()
        self.tc = np.asarray(self.T.sum(axis=0)).ravel()
        self.balanced = bool((self.fc == self.fc.max()).all() and n == n_units * n_times)

    def __call__(self, M: np.ndarray, tol: float = 1e-10, max_iter: int = 500) -> np.ndarray:
        M = np.array(M, dtype=float, copy=True)
        for _ in range(1 if self.balanced else max_iter):
            fm = (self.F.T @ M) / self.fc[:, None]
            M -= self.F @ fm
            tm = (self.T.T @ M) / self.tc[:, None]
            M -= self.T @ tm
            if self.balanced or max(np.abs(fm).max(initial=0), np.abs(tm).max(initial=0)) < tol:
                break
        return M


def _ols_cluster(X: np.ndarray, y: np.ndarray, cluster: np.ndarray, n_clusters: int, n_absorbed: int
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """OLS with firm-clustered covariance. Returns beta, V, residuals and the per-firm scores."""
    XtX_inv = np.linalg.pinv(X.T @ X, hermitian=True)
    beta = XtX_inv @ (X.T @ y)
    u = y - X @ beta
    S = sparse.csr_matrix((np.ones(len(y)), (cluster, np.arange(len(y)))), shape=(n_clusters, len(y)))
    scores = np.asarray(S @ (X * u[:, None]))
    N, K = X.shape
    adj = n_clusters / max(n_clusters - 1, 1) * (N - 1) / max(N - K - n_absorbed, 1)
    V = adj * XtX_inv @ (scores.T @ scores) @ XtX_inv
    return beta, V, u, scores @ XtX_inv.T


def estimate_twfe(w: Wide, cs_result: dict[str, Any] | None = None) -> dict[str, Any]:
    unit, tcol = np.nonzero(np.isfinite(w.Y))
    y = w.Y[unit, tcol]
    years = w.years
    g = w.g[unit]
    t = years[tcol]
    treated_obs = (g > 0) & (t >= g)
    D = treated_obs.astype(float)
    within = _Within(unit, tcol, w.n, len(years))
    # covariate x year terms (drop the first year: absorbed by the firm effect)
    cov = w.X[unit, 1:]
    ctrl_cols = []
    if cov.shape[1]:
        for j in range(1, len(years)):
            ctrl_cols.append(cov * (tcol == j)[:, None])
    C = np.hstack(ctrl_cols) if ctrl_cols else np.zeros((len(y), 0))
    n_abs = w.n + len(years) - 1
    # static TWFE
    Xs = within(np.column_stack([D, C]))
    ys = within(y[:, None])[:, 0]
    beta, V, _, _ = _ols_cluster(Xs, ys, unit, w.n, n_abs)
    att, se = float(beta[0]), float(np.sqrt(V[0, 0]))
    # dCDH weights: residualise D on the fixed effects and controls; weights on treated firm-years
    if C.shape[1]:
        Cd = Xs[:, 1:]
        gam, *_ = np.linalg.lstsq(Cd, Xs[:, 0], rcond=None)
        eps = Xs[:, 0] - Cd @ gam
    else:
        eps = Xs[:, 0]
    wts = eps[treated_obs] / eps[treated_obs].sum()
    neg = wts < 0
    # dynamic (event-study) TWFE, reference e = -1
    e = np.where(g > 0, t - g, np.iinfo(np.int64).min)
    evs = sorted(int(v) for v in np.unique(e[g > 0]) if v != -1)
    E = np.column_stack([(e == v).astype(float) for v in evs]) if evs else np.zeros((len(y), 0))
    Xd = within(np.column_stack([E, C]))
    bd, Vd, _, _ = _ols_cluster(Xd, ys, unit, w.n, n_abs)
    es: list[dict[str, Any]] = []
    for i, v in enumerate(evs):
        s = float(np.sqrt(Vd[i, i]))
        es.append({"e": v, "att": float(bd[i]), "se": s, "ci95": [float(bd[i]) - Z95 * s, float(bd[i]) + Z95 * s],
                   "n_treated": int(((e == v) & (g > 0)).sum())})
    es.append({"e": -1, "att": 0.0, "se": 0.0, "ci95": [0.0, 0.0], "reference": True,
               "n_treated": int(((e == -1) & (g > 0)).sum())})
    es.sort(key=lambda r: int(r["e"]))
    pre_idx = [i for i, v in enumerate(evs) if v < -1]
    pretrend_p, pre_df = _wald_v(bd[pre_idx], Vd[np.ix_(pre_idx, pre_idx)]) if pre_idx else (None, 0)
    diag: dict[str, Any] = {
        "negative_weight_share": round(float(neg.mean()), 4),
        "negative_weight_sum": round(float(wts[neg].sum()), 4),
        "weights_note": "de Chaisemartin & D'Haultfoeuille (2020) weights of the static TWFE coefficient on "
                        "treated firm-years",
    }
    warnings: list[str] = []
    if cs_result is not None:
        het_p = cs_result.get("cohort_heterogeneity_p")
        diff = att - cs_result["att"]
        diag.update({"cs_att": cs_result["att"], "cs_se": cs_result["se"], "difference_from_cs": diff,
                     "cohort_heterogeneity_p": het_p})
        biased = (het_p is not None and het_p < 0.05) or (bool(neg.any()) and abs(diff) > 2 * cs_result["se"])
        diag["twfe_biased_flag"] = bool(biased)
        if biased:
            why = []
            if het_p is not None and het_p < 0.05:
                why.append(f"effects differ across cohorts at the same event time (p = {het_p:.3g})")
            if neg.any():
                why.append(f"{neg.mean():.0%} of treated firm-years get negative TWFE weights")
            why.append(f"TWFE {att:.4g} vs Callaway-Sant'Anna {cs_result['att']:.4g}")
            warnings.append("TWFE is likely biased with staggered adoption here: " + "; ".join(why)
                            + ". Prefer --method cs.")
    return {"att": att, "se": se, "ci95": [att - Z95 * se, att + Z95 * se],
            "n_treated": int((w.g > 0).sum()), "n_control": int((w.g == 0).sum()),
            "pretrend_p": pretrend_p, "pretrend_df": pre_df, "event_study": es,
            "twfe_diagnostics": diag, "warnings": warnings}


def _wald_v(theta: np.ndarray, V: np.ndarray) -> tuple[float | None, int]:
    from scipy import stats

    df = int(np.linalg.matrix_rank(V, hermitian=True))
    if df == 0:
        return None, 0
    W = float(theta @ np.linalg.pinv(V, hermitian=True) @ theta)
    return float(stats.chi2.sf(W, df)), df


__all__ = ["estimate_twfe", "wald"]
