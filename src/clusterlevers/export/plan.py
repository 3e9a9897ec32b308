"""The brief's evaluation plan: the evaluation module's logic model and KPIs, plus the methods to propose."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..domain.canvas import Reference, data_text
from ..domain.design import Design
from ..domain.evaluation.logic import Condition  # one condition model: validated against the canvas


class Method(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    always: bool = False
    when: list[Condition] = Field(default_factory=list)
    how: str
    data: str
    command: str | None = None
    references: list[Reference] = Field(default_factory=list)

    def applies(self, design: Design) -> bool:
        return self.always or any(c.holds(design) for c in self.when)


class MethodFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int
    methods: list[Method]


@lru_cache(maxsize=1)
def load_methods() -> MethodFile:
    """``data/brief/evaluation_methods.yaml``, validated (each condition checks its lever and positions)."""
    from ..domain.documents import parse_text

    source = "clusterlevers/data/brief/evaluation_methods.yaml"
    return MethodFile.model_validate(parse_text(data_text("brief/evaluation_methods.yaml"), source).data)


def evaluation_plan(design: Design) -> dict[str, Any]:
    """``{source, logic, kpis, undecided, methods, note}``; falls back to a minimal plan, labelled so, when the
    evaluation module is unavailable."""
    methods = [m.model_dump() for m in load_methods().methods if m.applies(design)]
    try:
        from ..domain.evaluation import logic_model

        lm = logic_model(design).as_dict()
    except Exception as exc:  # noqa: BLE001 - the brief must still render; the plan says what is missing
        return {"source": "minimal", "logic": [], "kpis": [], "undecided": [], "methods": methods,
                "note": f"Minimal plan: the evaluation module could not build the logic model ({type(exc).__name__})."}
    names: dict[str, str] = {}
    try:
        from ..domain.evaluation.logic import load_kpi_catalogue

        names = {str(s.get("id")): str(s.get("name")) for s in load_kpi_catalogue().stages}
    except Exception:  # noqa: BLE001 - stage names are cosmetic; fall back to the ids
        names = {}
    logic = [{"stage": s, "name": names.get(s, s.title()), "elements": lm[s]}
             for s in ("inputs", "activities", "outputs", "outcomes", "impacts")]
    return {"source": "logic_model", "logic": logic, "kpis": lm["kpis"], "undecided": lm.get("undecided", []),
            "methods": methods, "note": None}
