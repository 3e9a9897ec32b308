"""The result of an impact estimate, with its honesty layer: assumptions, warnings, plain language."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

METHOD_NAMES = {
    "cs": "Callaway-Sant'Anna staggered difference-in-differences (never-treated comparison group)",
    "twfe": "two-way fixed-effects difference-in-differences and event study",
    "psm": "propensity-score matching with difference-in-differences",
}


def identifying_assumption(method: str, covariates: list[str]) -> str:
    cond = f"conditional on {', '.join(covariates)} (baseline values)" if covariates else "unconditionally"
    base = (f"Parallel trends {cond}: without the program, treated firms' {{outcome}} would have changed like "
            "that of comparable never-treated firms; no anticipation before the treatment year; no spillovers "
            "from treated to untreated firms.")
    extra = {
        "cs": " Each cohort is compared with never-treated firms only, so effects may differ by cohort and over "
              "time without biasing the average.",
        "twfe": " In addition, the treatment effect must be the same for every cohort and every year since "
                "treatment; otherwise already-treated firms act as controls and the average is biased.",
        "psm": " Selection into the program depends only on the matched characteristics (and the outcome in the "
               "year before treatment), and every treated firm has comparable never-treated firms (overlap).",
    }
    return base + extra[method]


def _clean(x: Any) -> Any:
    if isinstance(x, float):
        return None if not math.isfinite(x) else x
    if isinstance(x, dict):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    if hasattr(x, "item"):  # numpy scalar
        return _clean(x.item())
    return x


@dataclass
class EvaluationResult:
    """An average effect on the treated with everything needed to defend (or doubt) it."""

    method: str
    outcome: str
    att: float
    se: float
    ci95: list[float]
    n_treated: int
    n_control: int
    pretrend_p: float | None
    event_study: list[dict[str, Any]]
    warnings: list[str]
    identifying_assumption: str
    plain_language: str
    covariates: list[str] = field(default_factory=list)
    cohorts: list[int] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return _clean({
            "method": self.method, "method_name": METHOD_NAMES[self.method], "outcome": self.outcome,
            "att": self.att, "se": self.se, "ci95": list(self.ci95), "n_treated": self.n_treated,
            "n_control": self.n_control, "pretrend_p": self.pretrend_p, "event_study": self.event_study,
            "warnings": self.warnings, "identifying_assumption": self.identifying_assumption,
            "plain_language": self.plain_language, "covariates": self.covariates, "cohorts": self.cohorts,
            "years": self.years, **self.details})


def _num(x: float) -> str:
    return f"{x:+.3g}" if abs(x) >= 0.001 else f"{x:+.2e}"


def plain_language(r: EvaluationResult) -> str:
    """A paragraph an evaluator can paste into a report: what the estimate shows and does not."""
    lo, hi = r.ci95
    years = f"{r.years[0]}-{r.years[-1]}" if r.years else "the panel years"
    cohorts = ", ".join(str(c) for c in r.cohorts)
    pct = ""
    if r.outcome.startswith("log_"):
        pct = f" (about {math.expm1(r.att) * 100:+.1f}%)"
    sig = ("statistically distinguishable from zero" if lo > 0 or hi < 0
           else "not statistically distinguishable from zero")
    parts = [
        f"Using {METHOD_NAMES[r.method]}, firms that joined the program (n = {r.n_treated}, cohorts {cohorts}) "
        f"changed their {r.outcome} by {_num(r.att)}{pct} on average in the years after joining, relative to "
        f"{r.n_control} comparison firms, over {years}; the 95% confidence interval runs from {_num(lo)} to "
        f"{_num(hi)}, so the effect is {sig}.",
    ]
    if r.pretrend_p is not None:
        verdict = ("which casts doubt on the comparison" if r.pretrend_p < 0.05
                   else "which is consistent with, but does not prove, parallel trends")
        parts.append(f"Before joining, the treated and comparison firms moved alike (joint pre-trend test "
                     f"p = {r.pretrend_p:.2f}), {verdict}." if r.pretrend_p >= 0.05 else
                     f"Before joining, the treated firms already diverged from the comparison firms (joint "
                     f"pre-trend test p = {r.pretrend_p:.3f}), {verdict}.")
    else:
        parts.append("No pre-treatment periods were available to test for pre-trends.")
    parts.append(
        "The estimate is causal only under the stated assumption. It describes the firms that joined, not what "
        "would happen to firms that did not (it is not an effect of extending the program); it cannot see "
        "effects on non-members (spillovers would bias the comparison), effects after the last panel year, or "
        "selection on characteristics that shape trends but are not in the data. Statistical significance is "
        "not the size of the public return: compare the effect with the cost per firm.")
    if r.warnings:
        parts.append(f"Read it together with {len(r.warnings)} warning(s): " + " ".join(r.warnings))
    return " ".join(parts)
