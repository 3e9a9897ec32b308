"""Logic model from lever positions, monitoring KPIs, the SVG chart and the CLI commands."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
import yaml

from clusterlevers.charts.monitoring import event_study_chart, monitoring_chart
from clusterlevers.domain.design import parse_design
from clusterlevers.domain.errors import InputError
from clusterlevers.domain.evaluation import kpi_series, load_monitoring_panel, logic_model
from clusterlevers.domain.evaluation.logic import load_kpi_catalogue
from clusterlevers.domain.evaluation.synthetic import monitoring_panel

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "evaluation"


def design(**levers):
    return parse_design({"name": "t", "context": {"currency": "EUR", "price_year": 2020}, "levers": levers})


def ids(lm):
    return {k.id for k in lm.kpis}


def test_catalogue_loads_and_every_kpi_has_a_source():
    cat = load_kpi_catalogue()
    assert len(cat.kpis) >= 15
    for k in cat.kpis:
        assert k.references and all(cat.references[r].href.startswith("http") for r in k.references)


@pytest.mark.parametrize(("levers", "kpi", "absent_without"), [
    ({"cluster_org_model": "delegated_funder"}, "project_leverage", {"cluster_org_model": "agency_run"}),
    ({"maturity_focus": "tiered_ladder"}, "promotion_rate", {"maturity_focus": "growth"}),
    ({"revenue_transition": "sunset"}, "self_generated_share", {"revenue_transition": "permanent_core"}),
    ({"cluster_org_model": "delegated_funder"}, "disbursement_rate", {"cluster_org_model": "ppp_association"}),
    ({"selection_mechanism": "staged_competition"}, "application_scores", {"selection_mechanism": "designation"}),
])
def test_levers_imply_kpis(levers, kpi, absent_without):
    with_it = logic_model(design(**levers))
    assert kpi in ids(with_it)
    lever = next(iter(levers))
    why = with_it.kpi(kpi).why
    assert f"{lever} = {levers[lever]}" in why
    assert kpi not in ids(logic_model(design(**absent_without)))


def test_core_kpis_and_stages_always_present():
    lm = logic_model(design())
    assert {"members", "public_share", "firm_rd"} <= ids(lm)
    for stage in ("inputs", "activities", "outputs", "outcomes", "impacts"):
        assert getattr(lm, stage), stage
    assert any(u["lever"] == "cluster_org_model" for u in lm.undecided)


def test_targets_follow_the_design():
    lm = logic_model(design(private_match=60, revenue_transition="sunset", funding_horizon=5, portfolio_size=12))
    lev = lm.kpi("leverage_ratio").target
    assert lev["value"] == pytest.approx(1.5) and lev["direction"] == "at_least" and not lev["assumption"]
    assert lm.kpi("public_share").target["value"] == 0.0
    assert lm.kpi("clusters_funded").target["value"] == 12
    sg = lm.kpi("self_generated_share").target
    assert sg["assumption"] is True and sg["range"][0] < sg["value"] < sg["range"][1]
    assert lm.kpi("members").target is None


def test_exports_csv_and_yaml(tmp_path):
    lm = logic_model(design(cluster_org_model="delegated_funder", maturity_focus="tiered_ladder",
                            revenue_transition="sunset", private_match=50))
    lm.to_csv(tmp_path / "lm.csv")
    lm.to_yaml(tmp_path / "lm.yaml")
    df = pd.read_csv(tmp_path / "lm.csv")
    kp = df[df["kind"] == "kpi"]
    assert set(kp["id"]) == ids(lm)
    assert {"why", "target", "stage", "unit", "sources"} <= set(df.columns)
    assert (df["kind"] == "element").sum() == sum(len(getattr(lm, s)) for s in
                                                   ("inputs", "activities", "outputs", "outcomes", "impacts"))
    data = yaml.safe_load((tmp_path / "lm.yaml").read_text())
    assert [k["id"] for k in data["kpis"]] == [k.id for k in lm.kpis]


def test_kpis_from_monitoring_panel():
    df = monitoring_panel(5, n_years=6, seed=3)
    ps = kpi_series(df, "public_share")
    row = df.iloc[0]
    expected = row.budget_public / (row.budget_public + row.budget_fees + row.budget_services + row.budget_projects)
    assert ps.loc[row.year, row.cluster_id] == pytest.approx(expected)
    lev = kpi_series(df, "leverage_ratio")
    assert lev.loc[row.year, row.cluster_id] == pytest.approx(row.private_coinvest / row.budget_public)
    promo = kpi_series(df, "promotion_rate")["all clusters"]
    tiers = df.pivot(index="year", columns="cluster_id", values="tier")
    manual = (tiers.diff() > 0).iloc[1:].mean(axis=1)
    assert promo.to_numpy() == pytest.approx(manual.to_numpy())
    with pytest.raises(InputError, match="unknown KPI"):
        kpi_series(df, "nonsense")


def test_chart_is_escaped_valid_svg_with_target():
    df = monitoring_panel(3, n_years=5, seed=1)
    df.loc[df["cluster_id"] == "CL01", "cluster_id"] = "<script>alert(1)</script>"
    svg = monitoring_chart(df, "public_share", {"value": 0.5, "direction": "at_most"})
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "target (at most): 0.5" in svg and 'stroke-dasharray="6,4"' in svg
    assert svg.count("<polyline") == 3
    per = monitoring_chart(df, "members", {"CL02": 40})
    assert per.count('stroke-dasharray="5,4"') == 1
    ET.fromstring(event_study_chart([{"e": -1, "att": 0, "ci95": [0, 0]}, {"e": 0, "att": 0.1, "ci95": [0, 0.2]}]))


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "clusterlevers", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_examples_are_small_and_valid():
    assert sum(p.stat().st_size for p in EXAMPLES.glob("*.csv")) < 300_000
    load_monitoring_panel(EXAMPLES / "monitoring_panel.csv")


def test_cli_evaluate_json():
    r = _cli("evaluate", "--firm-panel", str(EXAMPLES / "firm_panel.csv"), "--treatment",
             str(EXAMPLES / "treatment.csv"), "--outcome", "log_rd", "--method", "twfe", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["method"] == "twfe" and {"att", "se", "ci95", "event_study", "warnings", "plain_language"} <= set(d)


def test_cli_logic_model_and_monitor(tmp_path):
    r = _cli("logic-model", "examples/canada-isi-2017.yaml", "--csv", str(tmp_path / "lm.csv"), "--json")
    assert r.returncode == 0, r.stderr
    assert "project_leverage" in {k["id"] for k in json.loads(r.stdout)["kpis"]}
    assert (tmp_path / "lm.csv").exists()
    r = _cli("monitor", str(EXAMPLES / "monitoring_panel.csv"), "--kpi", "promotion_rate", "--svg",
             str(tmp_path / "p.svg"), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["kpis"][0]["kpi"] == "promotion_rate"
    ET.parse(tmp_path / "p.svg")


def test_cli_bad_input_exits_2_naming_line_and_column():
    bad = ROOT / "tests" / "evaluation" / "fixtures" / "mon_negative_members.csv"
    r = _cli("monitor", str(bad), "--json")
    assert r.returncode == 2 and r.stdout == ""
    assert f"{bad}:3: members:" in r.stderr and "Traceback" not in r.stderr
