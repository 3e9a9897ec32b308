"""Impact estimators on synthetic panels with known true effects (research note §2.6)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from clusterlevers.domain.errors import InputError
from clusterlevers.domain.evaluation import estimate, synthetic


def tolerance(result) -> float:
    return max(0.02, 3 * result.se)


@pytest.mark.parametrize("method", ["cs", "twfe", "psm"])
def test_homogeneous_effect_recovered(homogeneous, method):
    r = estimate(homogeneous.panel, homogeneous.treatment, "log_rd", method=method)
    truth = homogeneous.true_att["log_rd"]
    assert abs(r.att - truth) < tolerance(r), (r.att, truth, r.se)
    assert r.ci95[0] < r.att < r.ci95[1]
    assert r.n_treated + r.n_control <= 2000 and r.n_treated > 400


def test_binary_innovator_effect_recovered(homogeneous):
    r = estimate(homogeneous.panel, homogeneous.treatment, "innovator")
    assert abs(r.att - homogeneous.true_att["innovator"]) < tolerance(r)


def test_event_study_tracks_the_true_ramp(homogeneous):
    r = estimate(homogeneous.panel, homogeneous.treatment, "log_rd")
    es = {row["e"]: row for row in r.event_study}
    for e in range(0, 5):
        true = homogeneous.true_event["log_rd"][e]
        assert abs(es[e]["att"] - true) < 4 * es[e]["se"] + 0.005, (e, es[e], true)
    assert es[4]["att"] > es[0]["att"]  # the ramp is visible
    # pre-period placebo cells are jointly insignificant on a clean design
    assert r.pretrend_p is not None and r.pretrend_p > 0.05
    assert not any("pre-trends" in w for w in r.warnings)


def test_covariates_matter_when_trends_depend_on_them(homogeneous):
    """Selection on R&D intensity + an R&D-intensity-specific trend: the unadjusted estimate is biased."""
    adjusted = estimate(homogeneous.panel, homogeneous.treatment, "log_rd")
    raw = estimate(homogeneous.panel, homogeneous.treatment, "log_rd", covariates=[])
    truth = homogeneous.true_att["log_rd"]
    assert abs(raw.att - truth) > 3 * abs(adjusted.att - truth)
    assert abs(raw.att - truth) > tolerance(raw)
    assert any("pre-trends" in w for w in raw.warnings)
    assert "unconditionally" in raw.identifying_assumption


def test_heterogeneous_cohorts_cs_ok_twfe_flagged(heterogeneous):
    truth = heterogeneous.true_att["log_rd"]
    cs = estimate(heterogeneous.panel, heterogeneous.treatment, "log_rd", method="cs")
    twfe = estimate(heterogeneous.panel, heterogeneous.treatment, "log_rd", method="twfe")
    assert abs(cs.att - truth) < tolerance(cs)
    assert abs(twfe.att - truth) > abs(cs.att - truth)
    diag = twfe.as_dict()["twfe_diagnostics"]
    assert diag["twfe_biased_flag"] is True
    assert diag["cohort_heterogeneity_p"] < 0.01
    assert any("TWFE is likely biased" in w for w in twfe.warnings)
    assert any("differ across cohorts" in w for w in cs.warnings)
    by_cohort = {c["cohort"]: c["att"] for c in cs.as_dict()["by_cohort"]}
    assert by_cohort[2013] > by_cohort[2015] > by_cohort[2017]


def test_homogeneous_twfe_not_flagged(homogeneous):
    twfe = estimate(homogeneous.panel, homogeneous.treatment, "log_rd", method="twfe")
    assert twfe.as_dict()["twfe_diagnostics"]["twfe_biased_flag"] is False


@pytest.mark.parametrize("method", ["cs", "twfe", "psm"])
def test_placebo_outcome_near_zero(homogeneous, method):
    r = estimate(homogeneous.panel, homogeneous.treatment, "productivity", method=method)
    assert abs(r.att) < max(0.02, 3 * r.se)
    assert r.ci95[0] < 0 < r.ci95[1]


def test_psm_balance_table(homogeneous):
    r = estimate(homogeneous.panel, homogeneous.treatment, "log_rd", method="psm").as_dict()
    bal = {b["covariate"]: b for b in r["balance"]}
    assert abs(bal["size0"]["smd_before"]) > 0.3  # selection on size is visible before matching
    # the variables that drive selection (size, R&D intensity, pre-treatment outcome) are balanced
    for name in ("size0", "rd_int", "outcome in g-1"):
        assert abs(bal[name]["smd_after"]) < 0.1, bal[name]
    assert max(abs(b["smd_after"]) for b in bal.values()) < max(abs(b["smd_before"]) for b in bal.values())
    # any residual imbalance above 0.1 (chance, on a dummy) is reported, not hidden
    unbalanced = [k for k, b in bal.items() if abs(b["smd_after"]) > 0.1]
    assert all(k in " ".join(r["warnings"]) for k in unbalanced)
    assert "outcome in g-1" in bal
    assert r["overlap"]["treated_unmatched"] < 0.05 * r["n_treated"]


def test_bootstrap_matches_analytic_se_and_reports_progress(homogeneous):
    calls = []
    a = estimate(homogeneous.panel, homogeneous.treatment, "log_rd")
    b = estimate(homogeneous.panel, homogeneous.treatment, "log_rd", bootstrap=400, seed=3,
                 progress=lambda done, total: calls.append((done, total)))
    c = estimate(homogeneous.panel, homogeneous.treatment, "log_rd", bootstrap=400, seed=3)
    assert 0.8 < b.se / a.se < 1.25
    assert b.se == c.se  # same seed, same draws
    assert calls[-1] == (400, 400) and len(calls) >= 2
    crit = b.as_dict()["bootstrap"]["critical_value"]
    assert crit > 1.96  # a simultaneous band is wider than pointwise


def test_unbalanced_panel():
    s = synthetic.firm_panel(1500, seed=5, missing_share=0.1)
    r = estimate(s.panel, s.treatment, "log_rd")
    assert abs(r.att - s.true_att["log_rd"]) < tolerance(r)
    assert any("unbalanced panel" in w for w in r.warnings)


def test_weak_design_warnings():
    s = synthetic.firm_panel(400, seed=2, treated_share=0.06)
    late = s.panel[s.panel["year"] >= 2012]
    r = estimate(late, s.treatment, "log_rd")
    text = " ".join(r.warnings)
    assert "few treated firms" in text
    assert "few pre-periods" in text and "2013" in text
    assert "warning" in r.plain_language


def test_poor_overlap_warning():
    s = synthetic.firm_panel(1500, seed=4)
    panel = s.panel.copy()
    treated = set(s.treatment.loc[s.treatment["treatment_year"].notna(), "firm_id"])
    # make size0 almost perfectly separate treated from control firms
    panel.loc[panel["firm_id"].isin(treated), "size0"] += 6.0
    r = estimate(panel, s.treatment, "log_rd", covariates=["size0", "rd_int"])
    assert any("poor overlap" in w for w in r.warnings)


def test_result_dict_is_public_shape(homogeneous, tmp_path):
    p, t = tmp_path / "panel.csv", tmp_path / "treat.csv"
    homogeneous.panel.to_csv(p, index=False)
    homogeneous.treatment.to_csv(t, index=False)
    d = estimate(p, t, "log_rd").as_dict()
    for key in ("method", "outcome", "att", "se", "ci95", "n_treated", "n_control", "pretrend_p", "event_study",
                "warnings", "identifying_assumption", "plain_language"):
        assert key in d
    json.dumps(d, allow_nan=False)
    assert "Parallel trends conditional on size0" in d["identifying_assumption"]
    assert "not" in d["plain_language"] and "log_rd" in d["plain_language"]
    assert np.isclose(d["att"], estimate(homogeneous.panel, homogeneous.treatment, "log_rd").att)


def test_bad_arguments():
    s = synthetic.firm_panel(100, seed=1)
    with pytest.raises(InputError, match="unknown method"):
        estimate(s.panel, s.treatment, "log_rd", method="ols")
    with pytest.raises(InputError, match="bootstrap"):
        estimate(s.panel, s.treatment, "log_rd", bootstrap=-1)
    none = s.treatment.assign(treatment_year=None)
    with pytest.raises(InputError, match="no treated firms"):
        estimate(s.panel, none, "log_rd")


@pytest.mark.slow
def test_standard_errors_are_calibrated():
    """Over 30 seeds the analytic SE matches the spread of the estimates (and the bias is small)."""
    err, ses = [], []
    for seed in range(30):
        s = synthetic.firm_panel(800, seed=100 + seed)
        r = estimate(s.panel, s.treatment, "log_rd")
        err.append(r.att - s.true_att["log_rd"])
        ses.append(r.se)
    assert abs(np.mean(err)) < 3 * np.std(err) / np.sqrt(30)
    assert 0.75 < np.mean(ses) / np.std(err) < 1.35
