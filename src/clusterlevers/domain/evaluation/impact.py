"""``estimate``: one entry point for the impact estimators, with the honesty checks."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

import pandas as pd

from ..errors import InputError
from .estimators.common import MIN_CONTROL, MIN_POST_PERIODS, MIN_PRE_PERIODS, MIN_TREATED, Wide, to_wide
from .panels import prepare_firm_data
from .result import EvaluationResult, identifying_assumption, plain_language

METHODS = ("cs", "twfe", "psm")
MAX_BOOTSTRAP = 100_000

Source: TypeAlias = str | os.PathLike[str] | pd.DataFrame


def estimate(firm_panel: Source, treatment: Source, outcome: str, method: str = "cs",
             covariates: Sequence[str] | None = None, bootstrap: int = 0, seed: int = 0,
             progress: Callable[[int, int], None] | None = None) -> EvaluationResult:
    """Estimate the average effect of the program on the treated firms (ATT).

    Args:
        firm_panel: CSV path or DataFrame with ``firm_id, year``, the outcome and covariate columns.
        treatment: CSV path or DataFrame with ``firm_id, treatment_year`` (empty = never treated).
        outcome: the outcome column, e.g. ``log_rd``.
        method: ``cs`` (Callaway-Sant'Anna, default), ``twfe`` or ``psm``.
        covariates: baseline covariates; None = those of ``size0, rd_int, age, sector, region`` present;
            an empty list = no covariates (unconditional parallel trends).
        bootstrap: multiplier-bootstrap draws for ``cs`` (0 = analytic standard errors only).
        seed: random seed of the bootstrap.
        progress: called as ``progress(done, total)`` during the bootstrap.
    """
    if method not in METHODS:
        raise InputError.single(f"unknown method '{method}'; use one of {', '.join(METHODS)}", field="method")
    if not isinstance(bootstrap, int) or not 0 <= bootstrap <= MAX_BOOTSTRAP:
        raise InputError.single(f"bootstrap must be a whole number from 0 to {MAX_BOOTSTRAP:,}", field="bootstrap")
    data = prepare_firm_data(firm_panel, treatment, outcome, None if covariates is None else list(covariates))
    w = to_wide(data)
    warnings = list(w.warnings)
    _design_checks(w, warnings)
    details: dict[str, Any] = {}
    if method == "cs":
        from .estimators.cs import estimate_cs

        res = estimate_cs(w, bootstrap=bootstrap, seed=seed, progress=progress)
        details = {k: res[k] for k in ("att_gt", "by_cohort", "cohort_heterogeneity_p", "overlap", "bootstrap")}
        _overlap_warning(res["overlap"], warnings)
        if res["cohort_heterogeneity_p"] is not None and res["cohort_heterogeneity_p"] < 0.05:
            warnings.append(f"effects differ across cohorts at the same event time (p = "
                            f"{res['cohort_heterogeneity_p']:.3g}): report the cohort estimates (by_cohort) "
                            "alongside the average")
    elif method == "twfe":
        from .estimators.cs import estimate_cs
        from .estimators.twfe import estimate_twfe

        res = estimate_twfe(w, estimate_cs(w))
        details = {"twfe_diagnostics": res["twfe_diagnostics"]}
        if bootstrap:
            warnings.append("bootstrap is only implemented for cs; twfe uses firm-clustered standard errors")
    else:
        from .estimators.psm import estimate_psm

        res = estimate_psm(w)
        details = {"balance": res["balance"], "overlap": res["overlap"], "matching": res["matching"]}
        _overlap_warning(res["overlap"], warnings)
        if bootstrap:
            warnings.append("bootstrap ignored for psm: it is not valid for nearest-neighbour matching "
                            "(Abadie & Imbens 2008); analytic standard errors are reported")
    warnings.extend(res["warnings"])
    if res["pretrend_p"] is not None and res["pretrend_p"] < 0.05:
        warnings.append(f"pre-trends: the joint test rejects equal pre-treatment trends (p = {res['pretrend_p']:.3g});"
                        " the parallel-trends assumption is doubtful"
                        + ("" if data.covariates else " (try adding baseline covariates)"))
    details["pretrend_df"] = res.get("pretrend_df", 0)
    result = EvaluationResult(
        method=method, outcome=outcome, att=res["att"], se=res["se"], ci95=list(res["ci95"]),
        n_treated=res["n_treated"], n_control=res["n_control"], pretrend_p=res["pretrend_p"],
        event_study=res["event_study"], warnings=warnings,
        identifying_assumption=identifying_assumption(method, data.covariates).replace("{outcome}", outcome),
        plain_language="", covariates=data.covariates, cohorts=w.cohorts,
        years=[int(w.years[0]), int(w.years[-1])], details=details)
    result.plain_language = plain_language(result)
    return result


def _design_checks(w: Wide, warnings: list[str]) -> None:
    """Warnings for weak designs: few pre-periods, few post-periods, few treated or control firms."""
    if not w.cohorts:
        raise InputError.single("no treated firms in the panel: every firm is never treated", field="treatment_year")
    if (w.g == 0).sum() == 0:
        raise InputError.single("no never-treated firms: the comparison group is empty", field="treatment_year")
    short = [g for g in w.cohorts if (w.years < g).sum() < MIN_PRE_PERIODS]
    if short:
        warnings.append(f"few pre-periods: cohort(s) {', '.join(map(str, short))} have fewer than {MIN_PRE_PERIODS} "
                        "pre-treatment years, so pre-trends can barely be tested")
    max_post = max((w.years >= g).sum() for g in w.cohorts)
    if max_post < MIN_POST_PERIODS:
        warnings.append(f"few post-periods: at most {max_post} year(s) after treatment; effects often take "
                        f"{MIN_POST_PERIODS} or more years to appear")
    n_t, n_c = int((w.g > 0).sum()), int((w.g == 0).sum())
    if n_t < MIN_TREATED:
        warnings.append(f"few treated firms: {n_t} (< {MIN_TREATED}); the estimate is imprecise and its standard "
                        "error unreliable")
    small = [g for g in w.cohorts if 0 < (w.g == g).sum() < 5]
    if small:
        warnings.append(f"tiny cohort(s) {', '.join(map(str, small))} (fewer than 5 firms)")
    if n_c < MIN_CONTROL:
        warnings.append(f"few never-treated firms: {n_c} (< {MIN_CONTROL}) to compare with")


def _overlap_warning(overlap: dict[str, Any], warnings: list[str]) -> None:
    cohorts = overlap.get("by_cohort") or {}
    bad = [g for g, s in cohorts.items()
           if s.get("treated_outside_control_support", 0) > 0.05 or s.get("treated_pscore_above_0_95", 0) > 0.05]
    if bad:
        warnings.append(f"poor overlap in cohort(s) {', '.join(bad)}: more than 5% of treated firms have propensity "
                        "scores outside the never-treated range or above 0.95, so the comparison relies on "
                        "extrapolation")
