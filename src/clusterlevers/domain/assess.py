"""``assess``: everything the panel shows for one design, in one call (the page's one round trip)."""

from __future__ import annotations

from typing import Any

from .atlas.archetypes import archetype_of
from .atlas.similarity import compare_design, lever_units
from .coherence import classify_program, evaluate_rules
from .derived import derive
from .design import Design

SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}


def assess(design: Design, *, top: int = 5, years: int = 15, projection: bool = True) -> dict[str, Any]:
    """Derived figures, findings, program type, nearest programs, archetype and median projection."""
    derived = derive(design)
    findings = sorted(evaluate_rules(design, derived), key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.id))
    units = lever_units(design.levers, design.context.currency, design.price_year)
    arc = archetype_of(units)
    out: dict[str, Any] = {
        "design": design.to_document(),
        "derived": derived.model_dump(),
        "program_type": classify_program(design),
        "findings": [f.model_dump() for f in findings],
        "neighbours": [n.model_dump() for n in compare_design(design, top=top)],
        "archetype": None if arc is None else {"id": arc[0].id, "name": arc[0].name,
                                               "medoid": arc[0].medoid, "distance": round(arc[1], 4)},
        "projection": None,
    }
    if projection:
        from .financing import project_median

        out["projection"] = project_median(design, years=years)
    return out
