"""Sensitivity, SVG charts, parameter file and the CLI command."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from clusterlevers.charts.financing import financing_chart, tornado_svg
from clusterlevers.domain.errors import InputError
from clusterlevers.domain.financing import load_parameters, project_median, sensitivity, simulate

from .helpers import design

DESIGNS = Path(__file__).parent / "designs"
CLI = [sys.executable, "-m", "clusterlevers"]


def test_parameter_file_grades_and_sources():
    spec = load_parameters()
    grades = {p.evidence for p in spec.parameters}
    assert grades == {"evidence", "assumption"}
    for p in spec.parameters:
        assert p.description and p.unit is not None
        if p.evidence == "evidence":
            assert p.sources and all(s.href.startswith("http") for s in p.sources)
        lo, hi = p.range
        assert lo <= p.central <= hi
    for key in ("churn_fee_sensitivity", "wtp_base", "wtp_value"):
        assert spec.by_id[key].evidence == "assumption"


def test_oat_sensitivity_tornado():
    s = sensitivity(design(), draws=60, years=14, seed=1)
    spec = load_parameters()
    assert {r["parameter"] for r in s["rows"]} == set(spec.assumption_ids())
    first = s["outputs"][0]
    swings = [r["swing"][first] or 0 for r in s["rows"]]
    assert swings == sorted(swings, reverse=True)
    assert swings[0] > 0.02  # the top assumption moves self-sustaining probability visibly
    by = {r["parameter"]: r for r in s["rows"]}
    c1 = by["churn_fee_sensitivity"]
    assert c1["at_high"][first] <= c1["at_low"][first]  # more fee-driven churn, fewer self-sustaining clusters
    svg = tornado_svg(s)
    ET.fromstring(svg)
    assert "churn_fee_sensitivity" in svg or len(s["rows"]) > 12


def test_morris_through_salib():
    s = sensitivity(design(), draws=40, years=8, method="morris", samples=2,
                    parameters=["churn_fee_sensitivity", "wtp_value", "fee"], outputs=["alive_share_final"])
    assert s["runs"] == 2 * 4 and len(s["rows"]) == 3
    assert all("mu_star" in r["alive_share_final"] for r in s["rows"])


def test_sensitivity_rejects_unknowns():
    with pytest.raises(InputError):
        sensitivity(design(), draws=10, parameters=["floor_members"])
    with pytest.raises(InputError):
        sensitivity(design(), draws=10, method="magic")


def test_chart_styles_and_escaping(norway):  # noqa: D103
    evil = design().model_copy(update={"name": "<script>alert(1)</script>"})
    a = simulate(evil, draws=40, years=10).summary()
    b = simulate(norway, draws=40, years=10).summary()
    svg = financing_chart(a, baseline=b, pinned=project_median(norway, years=10), metric="public_share")
    root = ET.fromstring(svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    lines = [e for e in root.iter() if e.tag.endswith("polyline")]
    dashes = [e.get("stroke-dasharray") for e in lines]
    assert "6 4" in dashes and None in dashes and "2 3" in dashes  # baseline dashed, design solid, pinned dotted
    assert any(e.tag.endswith("polygon") for e in root.iter())  # the design's p10-p90 band
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    budget = financing_chart(b, metric="budget")
    assert "million NOK" in budget


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)


def test_cli_json_contract_and_determinism(tmp_path):
    args = ["simulate", str(DESIGNS / "taper-10y.yaml"), "--draws", "200", "--years", "12", "--seed", "4", "--json"]
    a, b = _run(*args), _run(*args)
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout
    data = json.loads(a.stdout)
    for key in ("years", "public_share", "alive_share", "self_sustaining_probability", "year_private_share_50",
                "budget_drop_at_grant_end", "public_cost_per_surviving_cluster_m", "alive_3y_after_grant_end",
                "alive_5y_after_grant_end", "defaulted_levers", "assumptions"):
        assert key in data
    assert len(data["public_share"]["p50"]) == 12


def test_cli_compare_csv_svg(tmp_path):
    csv_p, svg_p = tmp_path / "b.csv", tmp_path / "c.svg"
    r = _run("simulate", str(DESIGNS / "norway-nic-2014.yaml"), "--draws", "100", "--years", "15", "--json",
             "--compare", str(DESIGNS / "canada-isi-2017.yaml"), "--equal-public-money", "--csv", str(csv_p),
             "--svg", str(svg_p))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["design"].startswith("Norwegian") and data["compare"]["design"].startswith("Canada")
    assert data["common_random_numbers"] and data["equal_public_money"]
    assert "equal_public_money" in data["compare"]
    assert csv_p.read_text().startswith("year,")
    ET.fromstring(svg_p.read_text())


def test_cli_sensitivity_json(tmp_path):
    r = _run("simulate", str(DESIGNS / "taper-10y.yaml"), "--sensitivity", "--draws", "30", "--years", "10",
             "--json", "--svg", str(tmp_path / "t.svg"))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["method"] == "oat"
    ET.fromstring((tmp_path / "t.svg").read_text())


def test_cli_bad_input_exits_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nlevers:\n  revenue_transition: cliff\n")
    r = _run("simulate", str(bad), "--json")
    assert r.returncode == 2 and r.stdout == ""
    assert "bad.yaml:3" in r.stderr and "revenue_transition" in r.stderr and "Traceback" not in r.stderr
    r = _run("simulate", str(DESIGNS / "taper-10y.yaml"), "--draws", "0")
    assert r.returncode == 2 and "draws" in r.stderr
