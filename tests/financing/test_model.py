"""Invariants and behaviour of the financing simulator."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from clusterlevers.domain.errors import InputError
from clusterlevers.domain.financing import load_parameters, project_median, simulate
from clusterlevers.domain.financing.engine import PUBLIC_STREAMS, STREAMS
from clusterlevers.domain.financing.programme import build_programme
from clusterlevers.domain.financing.simulate import run_programme

from .helpers import design

REQUIRED = ("years", "public_share", "alive_share", "self_sustaining_probability", "year_private_share_50",
            "budget_drop_at_grant_end", "public_cost_per_surviving_cluster_m", "alive_3y_after_grant_end",
            "alive_5y_after_grant_end", "defaulted_levers", "assumptions")


@pytest.fixture(scope="module", params=["sunset", "tapering", "capped_share", "permanent_core"])
def full_run(request):
    d = design(revenue_transition=request.param, private_match=50, accountability_model="milestone_gated")
    return simulate(d, draws=60, years=16, seed=5, record_full=True)


def test_streams_sum_to_revenue(full_run):
    f = full_run.full
    total = sum(f[s] for s in STREAMS)
    assert np.allclose(total, f["revenue"], rtol=1e-12, atol=1e-9)


def test_streams_non_negative_and_shares_in_unit_interval(full_run):
    f = full_run.full
    for s in STREAMS:
        assert (f[s] >= 0).all(), s
    rev = f["revenue"]
    ok = rev > 0
    public = sum(f[s] for s in PUBLIC_STREAMS)
    share = public[ok] / rev[ok]
    assert (share >= -1e-12).all() and (share <= 1 + 1e-12).all()
    for m in ("public_share", "private_share", "program_share", "alive_share"):
        for q in ("p10", "p50", "p90"):
            v = full_run.bands[m][q]
            v = v[np.isfinite(v)]
            assert (v >= -1e-12).all() and (v <= 1 + 1e-12).all(), m


def test_dissolved_clusters_earn_nothing(full_run):
    f = full_run.full
    dead = ~f["alive"]
    assert dead.any(), "the milestone-gated match design should dissolve some clusters in 60 draws"
    assert (f["revenue"][dead] == 0).all()
    assert (f["members"][dead] == 0).all() and (f["staff"][dead] == 0).all()
    # once dissolved, never alive again
    alive = f["alive"].astype(int)
    assert (np.diff(alive, axis=0) <= 0).all()


def test_no_program_grant_means_zero_program_share():
    spec = load_parameters()
    prog = replace(build_programme(design(), spec=spec), grant_keur=0.0)
    res = run_programme(prog, draws=40, years=12, seed=1, overrides={}, spec=spec, design_name="none",
                        record_full=True)
    assert (res.full["program_grant"] == 0).all()
    p = res.bands["program_share"]
    assert np.nanmax(np.abs(np.stack([p["p10"], p["p50"], p["p90"]]))) == 0


def test_program_share_is_zero_after_a_sunset():
    res = simulate(design(revenue_transition="sunset", funding_horizon=5), draws=50, years=12, seed=2,
                   record_full=True)
    assert (res.full["program_grant"][5:] == 0).all()
    assert (res.full["program_grant"][:5].sum(axis=0) > 0).any()


def test_more_public_money_for_longer_does_not_lower_median_survival():
    """1,000 draws, common random numbers: a bigger, longer grant never lowers survival at the horizon."""
    ladder = [(0.05, 2), (0.2, 3), (0.4, 5), (0.8, 8), (1.2, 12), (3.0, 15), (10.0, 20)]
    prev = None
    for fi, fh in ladder:
        res = simulate(design(funding_intensity=fi, funding_horizon=fh), draws=1000, years=20, seed=11)
        med = res.bands["alive_share"]["p50"][-1]
        mean = res.alive[-1].mean()
        if prev is not None:
            assert med >= prev[0] - 1e-12, (fi, fh, med, prev)
            assert mean >= prev[1] - 0.005, (fi, fh, mean, prev)
        prev = (med, mean)


def test_same_seed_same_output_and_other_seed_differs(norway):
    a = simulate(norway, draws=300, years=15, seed=7).summary()
    b = simulate(norway, draws=300, years=15, seed=7).summary()
    c = simulate(norway, draws=300, years=15, seed=8).summary()
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    assert a["public_share"]["p50"] != c["public_share"]["p50"]


def test_chunking_does_not_change_results():
    d = design()
    big = simulate(d, draws=1500, years=10, seed=4)   # two blocks of draws
    small = simulate(d, draws=1000, years=10, seed=4)  # first block only
    assert np.array_equal(big.sums["revenue"][:, :1000], small.sums["revenue"])


def test_common_random_numbers_across_designs():
    a = simulate(design(funding_intensity=0.3), draws=50, years=5, seed=9, record_full=True)
    b = simulate(design(funding_intensity=2.0, revenue_transition="tapering"), draws=50, years=5, seed=9,
                 record_full=True)
    # same starting clusters; only the program differs
    assert np.array_equal(a.full["members"][0], b.full["members"][0])
    assert np.array_equal(a.full["staff"][0], b.full["staff"][0])
    assert not np.array_equal(a.full["program_grant"][0], b.full["program_grant"][0])


def test_sunset_and_permanent_core_trajectories_differ():
    sunset = simulate(design(revenue_transition="sunset", funding_horizon=6), draws=400, years=16, seed=3)
    core = simulate(design(revenue_transition="permanent_core", funding_horizon=6), draws=400, years=16, seed=3)
    ps, pc = sunset.bands["program_share"]["p50"], core.bands["program_share"]["p50"]
    assert np.allclose(ps[:6], pc[:6], atol=0.02)  # identical while both pay the full grant
    assert (ps[7:] == 0).all() and (pc[7:] > 0.15).all()
    assert pc[-1] - ps[-1] > 0.15
    assert sunset.summary()["budget_drop_at_grant_end"] > core.summary()["budget_drop_at_grant_end"] + 0.1


def test_three_reference_designs_are_visibly_different(canada, norway, taper):
    runs = {n: simulate(d, draws=400, years=20, seed=0).summary() for n, d in
            (("canada", canada), ("norway", norway), ("taper", taper))}
    names = list(runs)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            pa, pb = np.array(runs[a]["public_share"]["p50"]), np.array(runs[b]["public_share"]["p50"])
            assert np.max(np.abs(pa - pb)) > 0.1, (a, b)
    # the story a program leader can tell: Canada's 5-year sunset cuts the budget hardest at grant end,
    # Norway's 50% cap gets the private share to half earliest
    assert runs["canada"]["budget_drop_at_grant_end"] > 0.5 > runs["taper"]["budget_drop_at_grant_end"]
    assert runs["canada"]["grant_end_year"] == 6 and runs["taper"]["grant_end_year"] == 11
    assert runs["norway"]["year_private_share_50"] < runs["taper"]["year_private_share_50"]


def test_summary_contract(norway):
    s = simulate(norway, draws=100, years=12, seed=0).summary()
    for k in REQUIRED:
        assert k in s, k
    assert len(s["years"]) == 12
    for band in ("public_share", "alive_share"):
        assert set(s[band]) >= {"p10", "p50", "p90"}
        assert all(len(s[band][q]) == 12 for q in ("p10", "p50", "p90"))
    json.dumps(s)
    assert s["currency"] == "NOK"
    assert "churn_fee_sensitivity" in s["assumptions"]["outputs"]["self_sustaining_probability"]
    grades = {p["id"]: p["evidence"] for p in s["parameters"]}
    assert grades["floor_members"] == "evidence" and grades["churn_fee_sensitivity"] == "assumption"


def test_defaulted_levers_listed():
    from clusterlevers.domain.design import parse_design

    d = parse_design({"name": "bare", "levers": {"revenue_transition": "tapering"}})
    s = simulate(d, draws=20, years=5).summary()
    assert "revenue_transition" not in s["defaulted_levers"]
    assert {"funding_intensity", "funding_horizon", "portfolio_size"} <= set(s["defaulted_levers"])
    assert s["currency"] == "EUR"


def test_currency_conversion_is_consistent():
    from clusterlevers.domain.design import parse_design
    from clusterlevers.domain.money import eur_per_unit

    rate = eur_per_unit("NOK", 2020)[0]
    lv = {"funding_intensity": 0.5, "portfolio_size": 10}
    eur = simulate(parse_design({"name": "e", "context": {"currency": "EUR", "price_year": 2020}, "levers": lv}),
                   draws=50, years=8).summary()
    nok = simulate(parse_design({"name": "n", "context": {"currency": "NOK", "price_year": 2020},
                                 "levers": {**lv, "funding_intensity": 0.5 / rate}}), draws=50, years=8).summary()
    assert eur["public_share"]["p50"] == nok["public_share"]["p50"]
    assert np.allclose(np.array(nok["budget"]["p50"]) * rate, eur["budget"]["p50"], rtol=1e-4)


def test_equal_public_money_holds_total_constant(norway, taper):
    res = simulate(taper, draws=200, years=20, seed=1, equal_public_money_with=norway)
    eq = res.summary()["equal_public_money"]
    assert eq["achieved_total_public_m"] == pytest.approx(eq["target_total_public_m"], rel=0.01)
    assert eq["grant_scale"] != 1.0


def test_portfolio_capped_at_50_and_said(canada):
    from clusterlevers.domain.design import parse_design

    d = parse_design({"name": "big", "levers": {"portfolio_size": 120}})
    s = simulate(d, draws=10, years=4).summary()
    assert s["clusters_simulated"] == 50 and s["portfolio_size"] == 120
    assert any("50 of the portfolio's 120" in n for n in s["notes"])


@pytest.mark.parametrize("kw", [{"draws": 0}, {"years": 0}, {"seed": -1}, {"params": {"nope": 1}},
                                {"params": {"fee": -5}}, {"clusters": 0}])
def test_bad_arguments_raise_input_error(kw):
    with pytest.raises(InputError):
        simulate(design(), **kw)


def test_project_median_shape_and_cache(norway, taper):
    a = project_median(norway)
    assert len(a["year"]) == 15
    for k in ("public_share_p50", "budget_p50", "alive_share_p50", "private_share_p50"):
        assert len(a[k]) == 15
    assert {"year_private_share_50", "budget_drop_at_grant_end", "self_sustaining_probability"} <= set(a["headline"])
    b = project_median(taper)
    assert a["public_share_p50"] != b["public_share_p50"]
    a["headline"]["x"] = 1  # callers may mutate their copy without poisoning the cache
    assert "x" not in project_median(norway)["headline"]


def test_csv_export(tmp_path, norway):
    res = simulate(norway, draws=50, years=6)
    path = tmp_path / "bands.csv"
    res.to_csv(path)
    lines = path.read_text().splitlines()
    assert lines[0].startswith("year,public_share_p10,public_share_p50")
    assert len(lines) == 7
    row = lines[1].split(",")
    assert float(row[2]) == pytest.approx(res.bands["public_share"]["p50"][0], rel=1e-5)
