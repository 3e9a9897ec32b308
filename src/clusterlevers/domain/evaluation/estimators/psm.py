"""Propensity-score matching with DiD, with a covariate balance table.

For each cohort g: a logistic propensity score (scikit-learn) of joining in year g versus never
being treated, on the baseline covariates and the outcome in g-1; each treated firm is matched to its
nearest never-treated firm on the logit score (1:1, with replacement, caliper 0.2 SD of the logit,
Austin 2011). The effect in year t is the matched pair's difference in Y_t - Y_(g-1); the ATT
averages over treated post-treatment firm-years.

Standard errors condition on the matches and count how often each control is reused (each firm's
summed contributions form its influence function, so repeated years and reused controls are both
accounted for); they ignore the estimation of the score itself. The bootstrap is not offered:
it is not valid for nearest-neighbour matching (Abadie & Imbens 2008).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.neighbors import NearestNeighbors

from .common import Wide, overlap_summary, propensity, se_from_if, wald

Z95 = 1.959963984540054
CALIPER_SD = 0.2
SMD_OK = 0.1


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def estimate_psm(w: Wide) -> dict[str, Any]:
    n = w.n
    control = w.g == 0
    pairs_t: list[np.ndarray] = []  # treated unit index per pair
    pairs_c: list[np.ndarray] = []
    pair_g: list[np.ndarray] = []
    overlap: dict[str, Any] = {}
    dropped = 0
    feats_names = [*w.xnames[1:], "outcome in g-1"]
    bal_t, bal_c_all, bal_c_matched = [], [], []
    for g in w.cohorts:
        cb = w.col(g - 1)
        if cb is None:
            continue
        ok = np.isfinite(w.Y[:, cb])
        T = np.flatnonzero((w.g == g) & ok)
        Cn = np.flatnonzero(control & ok)
        if len(T) == 0 or len(Cn) == 0:
            continue
        F = np.column_stack([w.X[:, 1:], w.Y[:, cb]])
        idx = np.concatenate([T, Cn])
        d = np.zeros(len(idx), dtype=bool)
        d[: len(T)] = True
        p = propensity(F[idx], d)
        lp = _logit(p)
        overlap[str(g)] = overlap_summary(p[d], p[~d])
        nn = NearestNeighbors(n_neighbors=1).fit(lp[~d, None])
        dist, j = nn.kneighbors(lp[d, None])
        caliper = CALIPER_SD * lp.std()
        keep = dist[:, 0] <= caliper
        dropped += int((~keep).sum())
        pairs_t.append(T[keep])
        pairs_c.append(Cn[j[keep, 0]])
        pair_g.append(np.full(int(keep.sum()), g))
        bal_t.append(F[T])
        bal_c_all.append((F[Cn], len(T)))
        bal_c_matched.append((F[T[keep]], F[Cn[j[keep, 0]]]))
    if not pairs_t or sum(len(a) for a in pairs_t) == 0:
        from ...errors import InputError

        raise InputError.single("no treated firm could be matched to a never-treated firm", field="treatment")
    pt, pc, pg = np.concatenate(pairs_t), np.concatenate(pairs_c), np.concatenate(pair_g)
    # pair DiD for every event time
    cells: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for yi, year in enumerate(w.years):
        e = year - pg
        base = np.array([w.col(int(g) - 1) for g in pg])
        dt = w.Y[pt, yi] - w.Y[pt, base]
        dc = w.Y[pc, yi] - w.Y[pc, base]
        ok = np.isfinite(dt) & np.isfinite(dc) & (e != -1)
        for ev in np.unique(e[ok]):
            m = ok & (e == ev)
            prev = cells.get(int(ev))
            add = (pt[m], pc[m], np.column_stack([dt[m], dc[m]]))
            if prev is not None:
                add = (np.concatenate([prev[0], add[0]]), np.concatenate([prev[1], add[1]]),
                       np.concatenate([prev[2], add[2]]))
            cells[int(ev)] = add
    def infl(sel: list[int]) -> tuple[float, np.ndarray]:
        ti = np.concatenate([cells[e][0] for e in sel])
        ci = np.concatenate([cells[e][1] for e in sel])
        dd = np.concatenate([cells[e][2] for e in sel])
        M = len(ti)
        att = float((dd[:, 0] - dd[:, 1]).mean())
        inf = np.zeros(n)
        np.add.at(inf, ti, dd[:, 0] - dd[:, 0].mean())
        np.add.at(inf, ci, -(dd[:, 1] - dd[:, 1].mean()))
        return att, inf * n / M  # scaled so se_from_if gives sqrt(sum(contrib^2))/M
    post = [e for e in cells if e >= 0]
    att, inf_att = infl(post)
    se = float(se_from_if(inf_att[:, None], n)[0])
    es: list[dict[str, Any]] = []
    pre_inf: list[np.ndarray] = []
    pre_theta: list[float] = []
    for e in sorted(cells):
        est, inf_e = infl([e])
        s = float(se_from_if(inf_e[:, None], n)[0])
        es.append({"e": e, "att": est, "se": s, "ci95": [est - Z95 * s, est + Z95 * s],
                   "n_treated": len(np.unique(cells[e][0]))})
        if e < -1:
            pre_theta.append(est)
            pre_inf.append(inf_e)
    es.append({"e": -1, "att": 0.0, "se": 0.0, "ci95": [0.0, 0.0], "reference": True, "n_treated": len(pt)})
    es.sort(key=lambda r: int(r["e"]))
    pre_p, pre_df = wald(np.array(pre_theta), np.column_stack(pre_inf), n) if pre_theta else (None, 0)
    balance = _balance(feats_names, bal_t, bal_c_all, bal_c_matched)
    warnings = []
    bad = [b["covariate"] for b in balance if b["smd_after"] is not None and abs(b["smd_after"]) > SMD_OK]
    if bad:
        warnings.append(f"poor balance after matching: |standardised mean difference| > {SMD_OK} for "
                        + ", ".join(bad))
    if dropped:
        warnings.append(f"{dropped} treated firm(s) had no control within the caliper ({CALIPER_SD} SD of the "
                        "logit score) and were left out: the ATT describes the matched firms only")
    reuse = np.bincount(pc, minlength=n)[control]
    return {"att": att, "se": se, "ci95": [att - Z95 * se, att + Z95 * se],
            "n_treated": int(len(np.unique(pt))), "n_control": int((reuse > 0).sum()),
            "pretrend_p": pre_p, "pretrend_df": pre_df, "event_study": es, "balance": balance,
            "overlap": {"by_cohort": overlap, "treated_unmatched": dropped,
                        "max_control_reuse": int(reuse.max(initial=0))},
            "matching": {"ratio": "1:1 with replacement", "caliper_sd_logit": CALIPER_SD,
                         "features": feats_names},
            "warnings": warnings}


def _smd(mt: float, mc: float, vt: float, vc: float) -> float | None:
    den = np.sqrt((vt + vc) / 2)
    return None if den == 0 else float((mt - mc) / den)


def _balance(names: list[str], bt: list[np.ndarray], bc_all: list[tuple[np.ndarray, int]],
             bc_m: list[tuple[np.ndarray, np.ndarray]]) -> list[dict[str, Any]]:
    T = np.vstack(bt)
    # unmatched comparison: the never-treated pool, weighted by each cohort's number of treated firms
    Cw = np.vstack([c for c, _ in bc_all])
    ww = np.concatenate([np.full(len(c), k / len(c)) for c, k in bc_all])
    Tm = np.vstack([t for t, _ in bc_m])
    Cm = np.vstack([c for _, c in bc_m])
    out = []
    for j, name in enumerate(names):
        mt, vt = T[:, j].mean(), T[:, j].var()
        mc = np.average(Cw[:, j], weights=ww)
        vc = np.average((Cw[:, j] - mc) ** 2, weights=ww)
        mtm, mm = Tm[:, j].mean(), Cm[:, j].mean()
        # after matching: matched treated vs matched controls, on the pre-matching pooled SD (Austin 2009)
        out.append({"covariate": name, "mean_treated": float(mt), "mean_control_before": float(mc),
                    "mean_treated_matched": float(mtm), "mean_control_after": float(mm),
                    "smd_before": _smd(mt, mc, vt, vc), "smd_after": _smd(mtm, mm, vt, vc)})
    return out
