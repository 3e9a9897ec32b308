"""Shared helpers for the coherence tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from clusterlevers.domain.coherence import Finding, evaluate_rules
from clusterlevers.domain.derived import derive
from clusterlevers.domain.design import Design, parse_design

FIXTURES = Path(__file__).parent / "fixtures"
ATLAS = Path(__file__).resolve().parents[2] / "src" / "clusterlevers" / "data" / "atlas" / "programs"

# Canada ISI 2017 and a Norway NIC-like design as the issue states them (examples/ may hold richer ones).
CANADA_LEVERS: dict[str, Any] = {
    "ambition_level": "build", "portfolio_size": 5, "funding_intensity": 38, "funding_horizon": 5,
    "private_match": 50, "funding_uses": "projects", "cluster_org_model": "delegated_funder",
    "selection_mechanism": "staged_competition", "thematic_targeting": "guided", "spatial_logic": "balanced_coverage",
    "maturity_focus": "world_class", "cluster_reach": "regional", "programme_governance": "single_agency",
    "accountability_model": "periodic_evaluation", "stakeholder_architecture": "triple_helix"}
NORWAY_LEVERS: dict[str, Any] = {
    "ambition_level": "grow", "portfolio_size": 44, "maturity_focus": "tiered_ladder", "funding_horizon": 10,
    "private_match": 50, "revenue_transition": "capped_share", "funding_uses": "services",
    "selection_mechanism": "competitive_call", "programme_governance": "multi_agency_national",
    "accountability_model": "periodic_evaluation", "stakeholder_architecture": "triple_helix"}


def design_of(levers: dict[str, Any], context: dict[str, Any] | None = None, name: str = "test") -> Design:
    return parse_design({"name": name, "context": context or {}, "levers": levers})


def findings_of(design: Design) -> list[Finding]:
    return evaluate_rules(design, derive(design))


def ids_of(design: Design) -> set[str]:
    return {f.id for f in findings_of(design)}


@pytest.fixture
def canada() -> Design:
    return design_of(CANADA_LEVERS, {"country": "CA", "currency": "CAD", "price_year": 2018}, "Canada ISI 2017")


@pytest.fixture
def norway() -> Design:
    return design_of(NORWAY_LEVERS, {"country": "NO", "currency": "NOK", "price_year": 2021}, "Norway NIC")
