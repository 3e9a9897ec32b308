"""Program-type classifier."""

from __future__ import annotations

from clusterlevers.domain.canvas import load_canvas
from clusterlevers.domain.coherence import classify_program, load_program_types

from .conftest import design_of, ids_of

NSF_LIKE = {"ambition_level": "build", "thematic_targeting": "mission", "spatial_logic": "lagging_priority",
            "portfolio_size": 10, "funding_intensity": 16, "funding_horizon": 10, "funding_uses": "assets",
            "cluster_org_model": "delegated_funder", "stakeholder_architecture": "open_ecosystem",
            "programme_governance": "whole_of_government", "accountability_model": "milestone_gated"}
AEI_LIKE = {"ambition_level": "network_support", "portfolio_size": 120, "funding_intensity": 0.1,
            "funding_horizon": 4, "funding_uses": "management", "selection_mechanism": "accreditation",
            "programme_governance": "single_agency", "accountability_model": "kpi_benchmarking"}


def test_families() -> None:
    assert classify_program(design_of(NSF_LIKE, {"currency": "USD", "price_year": 2023}))["family"] == "nation_shaping"
    assert classify_program(design_of(AEI_LIKE, {"currency": "EUR"}))["family"] == "innovation_cluster"


def test_verdict_shape_and_evidence() -> None:
    pt = classify_program(design_of(AEI_LIKE, {"currency": "EUR"}))
    assert set(pt) >= {"family", "label", "confidence", "evidence", "summary", "mixed"}
    for e in pt["evidence"]:
        assert set(e) >= {"lever", "position", "points_to"}
        assert e["points_to"] in load_program_types().family_ids
    levers = {e["lever"]: e for e in pt["evidence"]}
    assert levers["portfolio_size"]["position"] == "registry"  # numeric levers report their band
    assert levers["funding_intensity"]["position"] == "micro"


def test_empty_design_has_no_verdict() -> None:
    pt = classify_program(design_of({}))
    assert pt["family"] is None and pt["confidence"] == "none" and pt["evidence"] == []


def test_ambition_means_mismatch_is_flagged_and_becomes_a_finding() -> None:
    levers = {"ambition_level": "build", "funding_intensity": 0.2, "funding_horizon": 3, "funding_uses": "management",
              "programme_governance": "single_agency"}
    design = design_of(levers, {"currency": "EUR"})
    pt = classify_program(design)
    assert pt["mixed"] is True and pt["means_family"] == "innovation_cluster"
    assert "nation_shaping" in pt["ambition_families"]
    assert "ambition-means-mismatch" in ids_of(design)
    grown = design_of({**levers, "funding_intensity": 30, "funding_horizon": 12, "funding_uses": "assets",
                       "programme_governance": "whole_of_government"}, {"currency": "EUR"})
    assert "ambition-means-mismatch" not in ids_of(grown)


def test_money_is_banded_in_eur() -> None:
    # 38 CAD m (2018) is about 25 EUR m: the flagship band (> 20), though 38 would be "flagship" anyway;
    # 25 NOK m (2021) is about 2.5 EUR m: "substantial", not "flagship".
    pt = classify_program(design_of({"funding_intensity": 25, "funding_horizon": 5, "portfolio_size": 10},
                                    {"currency": "NOK", "price_year": 2021}))
    assert {e["lever"]: e["position"] for e in pt["evidence"]}["funding_intensity"] == "substantial"


def test_program_types_cover_every_lever_position() -> None:
    pt = load_program_types()
    for lever in load_canvas().levers:
        assert set(pt.points[lever.id]) == set(lever.stops)
