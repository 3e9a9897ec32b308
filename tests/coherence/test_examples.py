"""The issue's acceptance designs: Canada 2017 and a Norway NIC-like design."""

from __future__ import annotations

from pathlib import Path

import pytest

from clusterlevers.domain.check import check
from clusterlevers.domain.design import Design, load_design

from .conftest import findings_of

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_canada_reports_build_versus_five_year_horizon_with_its_own_evidence(canada: Design) -> None:
    found = {f.id: f for f in findings_of(canada)}
    t1 = found["build-ambition-short-horizon"]
    assert t1.severity == "critical"
    assert {"ambition_level", "funding_horizon"} <= set(t1.levers)
    assert "5 years" in t1.message
    assert any(e.get("program") == "ca-isi-2017" for e in t1.evidence)
    assert t1.move == {"lever": "funding_horizon", "from": 5, "to": 10, "label": "Funding horizon: 10 years"}
    # Canada's other known criticisms surface too, each with Canadian evidence
    for rid in ("balanced-coverage-flagship-build", "build-without-entrepreneurs-and-capital"):
        assert rid in found


def test_canada_reads_as_a_supercluster_program(canada: Design) -> None:
    pt = check(canada)["program_type"]
    assert pt["family"] == "supercluster"
    assert pt["confidence"] in ("high", "medium")
    assert {e["lever"] for e in pt["evidence"]} == set(canada.levers)


def test_norway_nic_like_design_raises_nothing_critical(norway: Design) -> None:
    findings = findings_of(norway)
    assert not [f.id for f in findings if f.severity == "critical"]
    assert check(norway)["program_type"]["family"] == "innovation_cluster"


@pytest.mark.parametrize("name,critical_expected", [("canada-isi-2017.yaml", True), ("norway-nic-2014.yaml", False)])
def test_shipped_examples(name: str, critical_expected: bool) -> None:
    path = EXAMPLES / name
    if not path.is_file():
        pytest.skip(f"examples/{name} not written yet")
    findings = findings_of(load_design(path))
    assert any(f.severity == "critical" for f in findings) == critical_expected
    if critical_expected:
        assert "build-ambition-short-horizon" in {f.id for f in findings}
