"""Calibrating the behavioural parameters from an observed cluster panel.

Panel CSV, one row per cluster-year, money in thousand EUR (kEUR)::

    cluster,year,program_grant,other_public,membership_fees,paid_services,overheads_public,
    overheads_private,sponsorship_events,members,staff

Each behavioural equation of the model is inverted on the panel (docs/financing-model.md):

* fee            = median of membership_fees / members
* s_max, lambda  = from u = sqrt(paid_services / members) = sqrt(s_max) * V: in years with a full team
                   u' - u = lambda * (sqrt(s_max) - u), a per-cluster straight line (gamma = 2 fixed)
* e, beta        = log sponsorship_events = log e + beta * log members (least squares)
* pi_pub         = median overheads_public / overheads
* theta*v_proj, g_call = log(overheads / (members * (0.3 + 0.7 V))) = log(theta * v_proj) + t * log(1 + g_call)
* O              = median other_public
* churn, a_rec, M_cap = members' = members * (1 - churn)
                   + (M_cap - members) * (1 - exp(-a_rec * staff' / M_cap)); willingness
                   to pay is not observed, so churn is the *total* rate (base plus fee-driven), reported as such.

Returns the fitted values with the number of observations used and a flag for each saying how well
the panel identifies it.
"""

from __future__ import annotations

import csv
import io
import math
import os
from typing import Any

import numpy as np

from ..documents import read_text
from ..errors import InputError, Problem
from .engine import PROJECT_BASE, STREAMS

COLUMNS = ("cluster", "year", *STREAMS, "members", "staff")
MAX_BYTES = 50_000_000
MAX_PROBLEMS = 20


def read_panel(path: str | os.PathLike[str]) -> dict[str, np.ndarray]:
    """Read and validate a panel CSV; every problem names the row (file line) and column."""
    src = str(path)
    text = read_text(path, max_bytes=MAX_BYTES)
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InputError.single("empty file: expected a header row with " + ", ".join(COLUMNS), file=src,
                                line=1) from None
    problems: list[Problem] = []
    missing = [c for c in COLUMNS if c not in header]
    for c in missing:
        problems.append(Problem("required column is missing", field=c, file=src, line=1))
    dup = {h for h in header if header.count(h) > 1}
    for c in sorted(dup):
        problems.append(Problem("column appears more than once", field=c, file=src, line=1))
    if problems:
        raise InputError(problems)
    idx = {c: header.index(c) for c in COLUMNS}
    clusters: list[str] = []
    cols: dict[str, list[float]] = {c: [] for c in COLUMNS[1:]}
    seen: set[tuple[str, int]] = set()
    for line_no, row in enumerate(reader, start=2):
        if not row or all(not x.strip() for x in row):
            continue
        if len(row) != len(header):
            problems.append(Problem(f"expected {len(header)} values, got {len(row)}", field="row", file=src,
                                    line=line_no))
        else:
            cluster = row[idx["cluster"]].strip()
            if not cluster:
                problems.append(Problem("empty cluster id", field="cluster", file=src, line=line_no))
            vals: dict[str, float] = {}
            for c in COLUMNS[1:]:
                raw = row[idx[c]].strip()
                try:
                    v = float(raw)
                except ValueError:
                    problems.append(Problem(f"expected a number, got {raw!r}", field=c, file=src, line=line_no))
                    continue
                if not math.isfinite(v) or v < 0:
                    problems.append(Problem(f"expected a finite number >= 0, got {raw!r}", field=c, file=src,
                                            line=line_no))
                    continue
                if c == "year" and not v.is_integer():
                    problems.append(Problem(f"expected a whole year, got {raw!r}", field=c, file=src,
                                            line=line_no))
                    continue
                vals[c] = v
            if cluster and "year" in vals:
                key = (cluster, int(vals["year"]))
                if key in seen:
                    problems.append(Problem(f"duplicate row for cluster {cluster!r} and year {key[1]}",
                                            field="year", file=src, line=line_no))
                seen.add(key)
            if len(vals) == len(COLUMNS) - 1 and cluster:
                clusters.append(cluster)
                for c, v in vals.items():
                    cols[c].append(v)
        if len(problems) >= MAX_PROBLEMS:
            problems.append(Problem("too many problems; stopped reading", file=src, line=line_no))
            break
    if problems:
        raise InputError(problems)
    if len(clusters) < 10:
        raise InputError.single(f"only {len(clusters)} data rows; calibration needs at least 10 cluster-years",
                                file=src)
    out = {c: np.asarray(v, dtype=float) for c, v in cols.items()}
    out["cluster"] = np.asarray(clusters, dtype=object)
    return out


def _entry(value: float | None, n: int, identified: str, note: str = "") -> dict[str, Any]:
    d: dict[str, Any] = {"value": None if value is None or not math.isfinite(value) else round(float(value), 6),
                         "observations": int(n), "identified": identified}
    if note:
        d["note"] = note
    return d


def calibrate(panel_csv: str | os.PathLike[str]) -> dict[str, Any]:
    """Fit the behavioural parameters to an observed panel (see the module docstring for the format).

    Returns ``{parameters: {id: {value, observations, identified, note?}}, clusters, rows}``; parameter ids
    are those of ``parameters.yaml`` so the result can be passed (values only) as ``simulate(params=...)``.
    """
    p = read_panel(panel_csv)
    order = np.lexsort((p["year"], p["cluster"]))
    p = {k: v[order] for k, v in p.items()}
    M, S, F, E, staff = p["members"], p["paid_services"], p["membership_fees"], p["sponsorship_events"], p["staff"]
    J = p["overheads_public"] + p["overheads_private"]
    live = M > 0
    res: dict[str, dict[str, Any]] = {}

    ok = live & (F > 0)
    res["fee"] = _entry(float(np.median(F[ok] / M[ok])) if ok.any() else None, int(ok.sum()), "strong")
    o = live
    res["other_public"] = _entry(float(np.median(p["other_public"][o])) if o.any() else None, int(o.sum()),
                                 "strong")
    ok = live & (J > 0)
    res["project_public_origin"] = _entry(float(np.median(p["overheads_public"][ok] / J[ok])) if ok.any() else None,
                                          int(ok.sum()), "strong")
    ok = live & (E > 0)
    if ok.sum() >= 3:
        # within-cluster slope (fixed effects), so clusters' different sponsorship scales do not bias beta
        lm, le = np.log(M[ok]), np.log(E[ok])
        cl = p["cluster"][ok]
        _, inv = np.unique(cl, return_inverse=True)
        cnt = np.bincount(inv)
        dm = lm - (np.bincount(inv, lm) / cnt)[inv]
        de = le - (np.bincount(inv, le) / cnt)[inv]
        if float(dm @ dm) > 1e-12:
            beta = float(dm @ de / (dm @ dm))
            res["sponsorship_exponent"] = _entry(beta, int(ok.sum()), "moderate",
                                                 "within-cluster slope; needs members to change over time")
            res["sponsorship_scale"] = _entry(float(np.median(E[ok] / M[ok] ** beta)), int(ok.sum()), "moderate")

    # services and learning: u = sqrt(S / M) = k V
    u = np.sqrt(np.where(live, S / np.where(live, M, 1.0), 0.0))
    lams, ks = [], []
    next_u = np.full_like(u, np.nan)
    next_staff = np.full_like(u, np.nan)
    clusters = p["cluster"]
    same_next = (clusters[1:] == clusters[:-1]) & (p["year"][1:] == p["year"][:-1] + 1)
    next_u[:-1] = np.where(same_next, u[1:], np.nan)
    next_staff[:-1] = np.where(same_next, staff[1:], np.nan)
    full_team = live & np.isfinite(next_u) & (next_staff >= 6.0) & (next_u > 0)
    for c in np.unique(clusters):
        m = full_team & (clusters == c)
        if m.sum() >= 3 and np.ptp(u[m]) > 1e-9:
            slope, icpt = np.polyfit(u[m], next_u[m] - u[m], 1)
            if slope < 0:
                lams.append(-slope)
                ks.append(icpt / -slope)
    if lams:
        res["learning_rate"] = _entry(float(np.median(lams)), len(lams), "moderate",
                                      "effective rate, including any services boost of the program; clusters with "
                                      "at least 3 full-team years")
        res["service_max"] = _entry(float(np.median(np.square(ks))), len(ks), "moderate")

    # project overheads, with maturity reconstructed from services where s_max is known
    if "service_max" in res and res["service_max"]["value"]:
        V = np.clip(u / math.sqrt(res["service_max"]["value"]), 0.0, 1.0)
        ok = live & (J > 0)
        if ok.sum() >= 3:
            y = np.log(J[ok] / (M[ok] * (PROJECT_BASE + (1 - PROJECT_BASE) * V[ok])))
            t = p["year"][ok] - p["year"].min()
            if np.ptp(t) > 0:
                slope, icpt = np.polyfit(t, y, 1)
                res["call_trend"] = _entry(float(np.exp(slope) - 1), int(ok.sum()), "moderate")
            else:
                icpt = float(np.mean(y))
            res["overhead_volume"] = _entry(float(np.exp(icpt)), int(ok.sum()), "moderate",
                                            "theta * v_proj: overhead rate and project volume are not separable "
                                            "from overheads alone")

    # members: M' = M (1 - churn) + (Mcap - M) (1 - exp(-a staff' / Mcap))
    next_M = np.full_like(M, np.nan)
    next_M[:-1] = np.where(same_next, M[1:], np.nan)
    grant = p["program_grant"]
    next_grant = np.full_like(grant, np.nan)
    next_grant[:-1] = np.where(same_next, grant[1:], np.nan)
    steady = live & np.isfinite(next_M) & (next_M > 0) & ~((grant > 0) & (next_grant == 0))
    if steady.sum() >= 10:
        from scipy.optimize import least_squares

        fits = []
        for c in np.unique(clusters):  # per cluster, then the median: clusters differ in capacity and reach
            m = steady & (clusters == c)
            if m.sum() < 6:
                continue
            m0, s1, m1 = M[m], next_staff[m], next_M[m]

            def resid(x: np.ndarray, m0: np.ndarray = m0, s1: np.ndarray = s1, m1: np.ndarray = m1) -> np.ndarray:
                churn, rec, cap = x
                recruits = np.maximum(cap - m0, 0.0) * (1 - np.exp(-rec * s1 / cap))
                return (m0 * (1 - churn) + recruits - m1) / np.sqrt(m1)

            top = float(max(m0.max(), m1.max()))
            fit = least_squares(resid, x0=[0.1, 5.0, 1.5 * top], bounds=([0.0, 0.0, top * 0.8], [0.95, 100.0, 1e6]))
            fits.append(fit.x)
        if fits:
            churn, rec, cap = np.median(np.array(fits), axis=0)
            n_obs = int(steady.sum())
            res["churn_total"] = _entry(float(churn), n_obs, "moderate",
                                        "base churn plus fee-driven churn; equals churn_base when fees are within "
                                        "willingness to pay")
            res["recruitment"] = _entry(float(rec), n_obs, "weak", "per-cluster fits, median")
            res["member_capacity"] = _entry(float(cap), n_obs, "weak",
                                            "cluster-level capacity (the model scales it by maturity focus)")
    from .parameters import load_parameters

    known = set(load_parameters().ids)
    as_params = {k: v["value"] for k, v in res.items() if k in known and v["value"] is not None}
    if res.get("churn_total", {}).get("value") is not None:
        as_params["churn_base"] = res["churn_total"]["value"]
    return {"parameters": res, "as_params": as_params, "clusters": int(np.unique(clusters).size), "rows": int(M.size),
            "money_unit": "thousand EUR per cluster-year",
            "not_identified": ["churn_fee_sensitivity", "wtp_base", "wtp_value", "wage", "fixed_cost",
                               "hire_speed", "cut_speed", "reserve_draw", "merge_probability"],
            "note": "as_params can be passed to simulate(params=...) to run the model on the fitted values"}


def write_panel_csv(result: Any, path: str | os.PathLike[str], draw: int = 0) -> int:
    """Write one draw of a ``simulate(..., record_full=True)`` result as a panel CSV (kEUR); returns rows."""
    full = result.full
    if not full:
        raise ValueError("the result has no full record: simulate with record_full=True")
    T, _, C = full["alive"].shape
    year0 = 2000
    n = 0
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for c in range(C):
            for t in range(T):
                if not full["alive"][t, draw, c]:
                    break
                w.writerow([f"c{c:03d}", year0 + t, *(f"{full[s][t, draw, c]:.9g}" for s in STREAMS),
                            f"{full['members'][t, draw, c]:.9g}", f"{full['staff'][t, draw, c]:.9g}"])
                n += 1
    return n
