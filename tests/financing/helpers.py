"""Shared helpers for the financing tests."""

from __future__ import annotations

from clusterlevers.domain.design import Design, parse_design


def design(**levers: object) -> Design:
    base: dict[str, object] = {"maturity_focus": "growth", "portfolio_size": 20, "funding_intensity": 0.5,
                               "funding_horizon": 6, "funding_uses": "services", "private_match": 0,
                               "revenue_transition": "sunset", "accountability_model": "reporting"}
    base.update(levers)
    return parse_design({"name": "t", "context": {"currency": "EUR", "price_year": 2024}, "levers": base})
