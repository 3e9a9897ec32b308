"""Shared preparation for the estimators: a firm x year matrix, cohorts and baseline covariates."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from ..panels import FirmData

DEFAULT_COVARIATES = ("size0", "rd_int", "age", "sector", "region")
MIN_PRE_PERIODS = 3  # research note §2.4: outcomes for at least 3 pre-treatment years
MIN_POST_PERIODS = 3  # §2.3: effects usually take 3 or more years to appear
MIN_TREATED = 30
MIN_CONTROL = 30
OVERLAP_EXTREME = 0.95  # a propensity score above this means a treated firm has almost no comparable controls


@dataclass
class Wide:
    """Outcome as a units x years matrix (NaN = not observed) plus cohorts and baseline covariates."""

    ids: np.ndarray
    years: np.ndarray
    Y: np.ndarray
    g: np.ndarray  # first treatment year; 0 = never treated
    X: np.ndarray  # baseline covariates with an intercept column first
    xnames: list[str]
    warnings: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.ids)

    def col(self, year: int) -> int | None:
        i = int(np.searchsorted(self.years, year))
        return i if i < len(self.years) and self.years[i] == year else None

    @property
    def cohorts(self) -> list[int]:
        return sorted(int(c) for c in np.unique(self.g) if c > 0)


def to_wide(data: FirmData) -> Wide:
    """Pivot the panel, take covariates at each firm's first observed year, drop unusable firms."""
    p = data.panel
    warnings = list(data.warnings)
    years = np.sort(p["year"].unique()).astype(int)
    codes, ids = pd.factorize(p["firm_id"], sort=True)
    ycol = np.searchsorted(years, p["year"].to_numpy())
    Y = np.full((len(ids), len(years)), np.nan)
    Y[codes, ycol] = p[data.outcome].to_numpy(dtype=float)
    g = np.zeros(len(ids), dtype=int)
    g[codes] = p["cohort"].to_numpy()
    # Baseline covariates: each firm's first row (the panel is sorted by firm and year).
    first = p.loc[~pd.Series(codes).duplicated().to_numpy()]
    cols, names = [np.ones(len(ids))], ["(intercept)"]
    missing_cov = np.zeros(len(ids), dtype=bool)
    fcodes = codes[first.index.to_numpy()]
    for c in data.numeric_covariates:
        v = np.full(len(ids), np.nan)
        v[fcodes] = first[c].to_numpy(dtype=float)
        missing_cov |= ~np.isfinite(v)
        cols.append(v)
        names.append(c)
    for c in data.categorical_covariates:
        v = np.empty(len(ids), dtype=object)
        v[fcodes] = first[c].to_numpy()
        missing_cov |= pd.isna(v)
        levels = sorted({x for x in v if x is not None and not pd.isna(x)})
        for lev in levels[1:]:  # first level is the reference
            cols.append((v == lev).astype(float))
            names.append(f"{c}={lev}")
    X = np.column_stack(cols)
    keep = np.ones(len(ids), dtype=bool)
    if missing_cov.any():
        warnings.append(f"{int(missing_cov.sum())} firm(s) dropped: a covariate is empty in their first year")
        keep &= ~missing_cov
    no_y = ~np.isfinite(Y).any(axis=1)
    if no_y.any():
        warnings.append(f"{int(no_y.sum())} firm(s) dropped: the outcome is never observed")
        keep &= ~no_y
    early = (g > 0) & (g <= years[0])
    if early.any():
        warnings.append(f"{int(early.sum())} firm(s) dropped: treated in or before the first panel year "
                        f"({years[0]}), so they have no pre-treatment period")
        keep &= ~early
    late = g > years[-1]
    if late.any():
        warnings.append(f"{int(late.sum())} firm(s) treated after the last panel year ({years[-1]}) are used as "
                        "never treated")
        g = np.where(late, 0, g)
    if not np.isfinite(Y).all():
        warnings.append(f"unbalanced panel: {int((~np.isfinite(Y[keep])).sum())} firm-years are missing; each "
                        "comparison uses the firms observed in both of its years")
    return Wide(ids=np.asarray(ids)[keep], years=years, Y=Y[keep], g=g[keep], X=X[keep], xnames=names,
                warnings=warnings)


def wald(theta: np.ndarray, inf: np.ndarray, n: int) -> tuple[float | None, int]:
    """Joint Wald test that theta = 0 given influence functions inf (n x k). Returns (p, df)."""
    if theta.size == 0:
        return None, 0
    V = inf.T @ inf / n**2
    Vi = np.linalg.pinv(V, rcond=1e-10, hermitian=True)
    df = int(np.linalg.matrix_rank(V, hermitian=True))
    if df == 0:
        return None, 0
    W = float(theta @ Vi @ theta)
    return float(stats.chi2.sf(W, df)), df


def se_from_if(inf: np.ndarray, n: int) -> np.ndarray:
    return np.sqrt((inf**2).sum(axis=0)) / n


def propensity(Xf: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Logistic propensity scores (scikit-learn, lightly regularised, standardised features)."""
    from sklearn.linear_model import LogisticRegression

    if Xf.shape[1] == 0 or d.all() or not d.any():
        return np.full(len(d), d.mean())
    mu, sd = Xf.mean(axis=0), Xf.std(axis=0)
    sd[sd == 0] = 1.0
    model = LogisticRegression(C=1e4, max_iter=500)
    model.fit((Xf - mu) / sd, d.astype(int))
    return np.asarray(model.predict_proba((Xf - mu) / sd)[:, 1])


def overlap_summary(p_treated: np.ndarray, p_control: np.ndarray) -> dict[str, float]:
    """How well the treated firms' propensity scores are covered by the controls'."""
    lo, hi = float(p_control.min()), float(p_control.max())
    outside = float(((p_treated < lo) | (p_treated > hi)).mean()) if len(p_treated) else 0.0
    extreme = float((p_treated > OVERLAP_EXTREME).mean()) if len(p_treated) else 0.0
    return {"treated_outside_control_support": round(outside, 4),
            "treated_pscore_above_0_95": round(extreme, 4),
            "pscore_treated_median": round(float(np.median(p_treated)), 4) if len(p_treated) else float("nan"),
            "pscore_control_median": round(float(np.median(p_control)), 4)}


def multiplier_bootstrap(inf: np.ndarray, n: int, draws: int, seed: int, progress=None,
                         chunk: int = 100) -> np.ndarray:
    """Rademacher multiplier bootstrap of estimates with influence functions inf (n x k).

    Returns (draws x k) deviations from the estimate. Cheap: no re-estimation (as in the R ``did``).
    """
    rng = np.random.default_rng(seed)
    out = np.empty((draws, inf.shape[1]))
    done = 0
    while done < draws:
        m = min(chunk, draws - done)
        v = rng.choice(np.array([-1.0, 1.0]), size=(m, n))
        out[done:done + m] = v @ inf / n
        done += m
        if progress is not None:
            progress(done, draws)
    return out


def bootstrap_se(boot: np.ndarray) -> np.ndarray:
    q75, q25 = np.quantile(boot, [0.75, 0.25], axis=0)
    return (q75 - q25) / (stats.norm.ppf(0.75) - stats.norm.ppf(0.25))
