"""The facts a rule may read about one design: levers, context and derived figures.

Derived figures are the budget identity of :mod:`..derived` plus a few comparisons the rules need
(funding per cluster in EUR, clusters per million people, the program-type verdict). Each derived
fact names the levers and context fields it reads, so a finding can name them too and tests can
check that findings never depend on anything else.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..derived import Derived
from ..design import Design
from ..money import convert
from .conditions import DerivedSpec, Facts


@dataclass(frozen=True)
class DerivedFact:
    name: str
    type: str  # number | text | list
    levers: tuple[str, ...]
    context: tuple[str, ...]
    description: str
    compute: Callable[[Design, Derived], Any]


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _fi_eur(design: Design, _: Derived) -> float | None:
    fi = _num(design.levers.get("funding_intensity"))
    cur = design.context.currency
    if fi is None or not cur:
        return None
    conv = convert(fi, cur, "EUR", design.price_year)
    return None if conv is None else conv.value


def _resources_eur(design: Design, d: Derived) -> float | None:
    fi = _fi_eur(design, d)
    pm = _num(design.levers.get("private_match"))
    if fi is None or pm is None or pm >= 100:
        return None
    return fi / (1.0 - pm / 100.0)


def _fitting(design: Design, _: Derived) -> float | None:
    """Largest portfolio whose budget fits the envelope at the chosen funding and horizon (None if < 1)."""
    env = design.context.budget_envelope
    fi, fh = _num(design.levers.get("funding_intensity")), _num(design.levers.get("funding_horizon"))
    if env is None or fi is None or fh is None or fi <= 0 or fh <= 0:
        return None
    per_cluster = fi * fh * (1.0 + (design.context.overhead_pct or 0.0) / 100.0)
    n = math.floor(env / per_cluster + 1e-9)
    return float(n) if n >= 1 else None


def _per_million(design: Design, _: Derived) -> float | None:
    n, pop = _num(design.levers.get("portfolio_size")), design.context.population
    if n is None or not pop:
        return None
    return n / (pop / 1e6)


def _population_m(design: Design, _: Derived) -> float | None:
    pop = design.context.population
    return None if not pop else pop / 1e6


def _ambition_families(design: Design, _: Derived) -> list[str] | None:
    from .classify import ambition_families

    return ambition_families(design)


def _means_family(design: Design, _: Derived) -> str | None:
    from .classify import means_family

    return means_family(design)


_BUDGET = ("portfolio_size", "funding_intensity", "funding_horizon")
_MEANS = ("funding_intensity", "funding_horizon", "funding_uses", "programme_governance")

DERIVED_FACTS: dict[str, DerivedFact] = {f.name: f for f in (
    DerivedFact("total_public_budget_m", "number", _BUDGET, ("overhead_pct",),
                "clusters x public money per cluster-year x years (+ overhead), millions of the design currency",
                lambda d, der: der.total_public_budget_m),
    DerivedFact("total_resources_m", "number", _BUDGET + ("private_match",), ("overhead_pct",),
                "public budget / (1 - private match share), millions of the design currency",
                lambda d, der: der.total_resources_m),
    DerivedFact("public_per_year_m", "number", ("portfolio_size", "funding_intensity"), ("overhead_pct",),
                "public money per program year across the portfolio, millions",
                lambda d, der: der.public_per_year_m),
    DerivedFact("funding_intensity_eur_m", "number", ("funding_intensity",), ("currency", "price_year"),
                "public money per cluster-year converted to EUR millions (ECB annual rate)", _fi_eur),
    DerivedFact("resources_per_cluster_year_eur_m", "number", ("funding_intensity", "private_match"),
                ("currency", "price_year"),
                "public money plus required private match per cluster-year, EUR millions", _resources_eur),
    DerivedFact("portfolio_size_fitting_envelope", "number", ("funding_intensity", "funding_horizon"),
                ("budget_envelope", "overhead_pct"),
                "the largest number of clusters the envelope pays for at this funding and horizon", _fitting),
    DerivedFact("clusters_per_million_people", "number", ("portfolio_size",), ("population",),
                "supported clusters per million inhabitants", _per_million),
    DerivedFact("population_m", "number", (), ("population",), "population in millions", _population_m),
    DerivedFact("ambition_families", "list", ("ambition_level",), (),
                "program families the stated ambition belongs to (data/program_types.yaml)", _ambition_families),
    DerivedFact("means_family", "text", _MEANS, ("currency", "price_year"),
                "program family that funding, horizon, uses and governance point to (data/program_types.yaml)",
                _means_family),
)}


def derived_specs() -> dict[str, DerivedSpec]:
    return {name: DerivedSpec(name, f.type) for name, f in DERIVED_FACTS.items()}


def build_facts(design: Design, derived: Derived, needed: set[str] | None = None) -> Facts:
    """The fact table of a design. ``needed`` limits which derived facts are computed (all by default)."""
    names = DERIVED_FACTS if needed is None else [n for n in DERIVED_FACTS if n in needed]
    values = {n: DERIVED_FACTS[n].compute(design, derived) for n in names}
    return Facts(dict(design.levers), design.context.model_dump(exclude_none=True), values)
