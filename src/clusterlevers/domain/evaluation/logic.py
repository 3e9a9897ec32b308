"""From a design to its logic model: inputs -> activities -> outputs -> outcomes -> impacts, with the
KPIs its lever positions imply (``data/evaluation/kpis.yaml``) and targets where the design sets one."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..canvas import Reference, load_canvas
from ..design import Design
from ..documents import parse_text
from ..errors import InputError, Problem

Stage = Literal["inputs", "activities", "outputs", "outcomes", "impacts"]
STAGES: tuple[str, ...] = ("inputs", "activities", "outputs", "outcomes", "impacts")
TARGET_RULES = ("funding_intensity", "portfolio_size", "private_match_ratio", "revenue_transition_public_share",
                "revenue_transition_self_generated")


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lever: str
    positions: list[str] | None = None
    at_least: str | None = None
    min: float | None = None
    why: str = ""

    @model_validator(mode="after")
    def _check(self) -> Condition:
        canvas = load_canvas()
        lever = canvas.by_id.get(self.lever)
        if lever is None:
            raise ValueError(f"unknown lever {self.lever!r}")
        given = [x is not None for x in (self.positions, self.at_least, self.min)]
        if sum(given) != 1:
            raise ValueError("give exactly one of positions, at_least, min")
        for p in (self.positions or []) + ([self.at_least] if self.at_least else []):
            if p not in lever.position_ids:
                raise ValueError(f"{p!r} is not a position of {self.lever}")
        if self.min is not None and lever.kind != "numeric":
            raise ValueError("min applies to numeric levers only")
        return self

    def holds(self, design: Design) -> bool:
        value = design.levers.get(self.lever)
        if value is None:
            return False
        lever = load_canvas().by_id[self.lever]
        if self.positions is not None:
            return value in self.positions
        if self.at_least is not None:
            return isinstance(value, str) and lever.rank(value) >= lever.rank(self.at_least)
        return isinstance(value, (int, float)) and float(value) >= float(self.min or 0)

    def label(self, design: Design) -> str:
        return f"{self.lever} = {design.levers.get(self.lever)}"


class TargetSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rule: str | None = None
    value: float | None = None
    assumption: bool = False
    range: list[float] | None = None
    note: str = ""

    @model_validator(mode="after")
    def _check(self) -> TargetSpec:
        if (self.rule is None) == (self.value is None):
            raise ValueError("a target has either a rule or a value")
        if self.rule is not None and self.rule not in TARGET_RULES:
            raise ValueError(f"unknown target rule {self.rule!r}; known: {', '.join(TARGET_RULES)}")
        if self.assumption and not self.range:
            raise ValueError("an assumed target needs a range")
        return self


class Element(BaseModel):
    model_config = ConfigDict(extra="forbid")
    stage: Stage
    text: str
    always: bool = False
    when: list[Condition] = Field(default_factory=list)


class KPIDef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    unit: str
    stage: Stage
    data: str
    panel: str | None = None
    always: bool = False
    why_always: str = ""
    when: list[Condition] = Field(default_factory=list)
    target: TargetSpec | None = None
    references: list[str] = Field(min_length=1)


class KPICatalogue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int
    references: dict[str, Reference]
    stages: list[dict[str, str]]
    elements: list[Element]
    kpis: list[KPIDef]

    @model_validator(mode="after")
    def _check(self) -> KPICatalogue:
        ids = [k.id for k in self.kpis]
        if len(ids) != len(set(ids)):
            raise ValueError("duplicate KPI id")
        for k in self.kpis:
            for r in k.references:
                if r not in self.references:
                    raise ValueError(f"KPI {k.id}: unknown reference {r!r}")
            if not k.always and not k.when:
                raise ValueError(f"KPI {k.id}: needs always: true or when conditions")
        return self


@lru_cache(maxsize=1)
def load_kpi_catalogue() -> KPICatalogue:
    """The shipped KPI catalogue, validated once."""
    src = "clusterlevers/data/evaluation/kpis.yaml"
    text = resources.files("clusterlevers").joinpath("data/evaluation/kpis.yaml").read_text(encoding="utf-8")
    doc = parse_text(text, src)
    try:
        return KPICatalogue.model_validate(doc.data)
    except ValidationError as exc:
        problems = [Problem(message=e["msg"], field=".".join(map(str, e["loc"])), file=src,
                            line=doc.line_of(*e["loc"])) for e in exc.errors()]
        raise InputError(problems) from None


# ------------------------------------------------------------------ the logic model


@dataclass
class KPI:
    id: str
    name: str
    unit: str
    stage: str
    why: str
    data: str
    panel: str | None = None
    target: dict[str, Any] | None = None
    sources: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "unit": self.unit, "stage": self.stage, "why": self.why,
                "target": self.target, "data": self.data, "panel": self.panel, "sources": self.sources}


@dataclass
class LogicModel:
    """A program's logic model with the KPIs its levers imply."""

    design: str
    inputs: list[str]
    activities: list[str]
    outputs: list[str]
    outcomes: list[str]
    impacts: list[str]
    kpis: list[KPI]
    undecided: list[dict[str, str]] = field(default_factory=list)  # KPIs a still-unset lever could add

    def kpi(self, kpi_id: str) -> KPI | None:
        return next((k for k in self.kpis if k.id == kpi_id), None)

    def as_dict(self) -> dict[str, Any]:
        return {"design": self.design, "inputs": self.inputs, "activities": self.activities,
                "outputs": self.outputs, "outcomes": self.outcomes, "impacts": self.impacts,
                "kpis": [k.as_dict() for k in self.kpis], "undecided": self.undecided}

    def rows(self) -> list[dict[str, Any]]:
        """Flat rows: one per logic-model element and one per KPI (the CSV layout)."""
        rows: list[dict[str, Any]] = []
        for stage in STAGES:
            for text in getattr(self, stage):
                rows.append({"kind": "element", "stage": stage, "id": "", "name": text})
        for k in self.kpis:
            t = k.target or {}
            rows.append({"kind": "kpi", "stage": k.stage, "id": k.id, "name": k.name, "unit": k.unit, "why": k.why,
                         "target": "" if t.get("value") is None else t["value"],
                         "target_direction": t.get("direction", ""), "target_basis": t.get("basis", ""),
                         "target_is_assumption": t.get("assumption", "") if t else "",
                         "data": k.data, "panel_kpi": k.panel or "",
                         "sources": " ; ".join(s["href"] for s in k.sources)})
        return rows

    def to_csv(self, path: str | os.PathLike[str] | None = None) -> str:
        cols = ["kind", "stage", "id", "name", "unit", "why", "target", "target_direction", "target_basis",
                "target_is_assumption", "data", "panel_kpi", "sources"]
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=cols, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows())
        text = buf.getvalue()
        if path is not None:
            _write(path, text)
        return text

    def to_yaml(self, path: str | os.PathLike[str] | None = None) -> str:
        import yaml

        text = yaml.safe_dump(self.as_dict(), sort_keys=False, allow_unicode=True, width=110)
        if path is not None:
            _write(path, text)
        return text


def _write(path: str | os.PathLike[str], text: str) -> None:
    """Write whole or not at all (temporary file, then rename)."""
    tmp = f"{os.fspath(path)}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise InputError.single(f"cannot write file: {exc.strerror or exc}", file=os.fspath(path)) from None


def logic_model(design: Design) -> LogicModel:
    """Build the logic model and KPI set implied by a design's lever positions."""
    cat = load_kpi_catalogue()
    stages: dict[str, list[str]] = {s: [] for s in STAGES}
    for el in cat.elements:
        if el.always or any(c.holds(design) for c in el.when):
            stages[el.stage].append(el.text)
    kpis: list[KPI] = []
    undecided: list[dict[str, str]] = []
    for k in cat.kpis:
        held = [c for c in k.when if c.holds(design)]
        if not (k.always or held):
            for c in k.when:
                if c.lever not in design.levers:
                    undecided.append({"kpi": k.id, "lever": c.lever, "why": c.why})
            continue
        whys = [f"{c.label(design)}: {c.why}" for c in held]
        if k.always:
            whys.insert(0, f"core KPI: {k.why_always}")
        target = _target(k, design)
        kpis.append(KPI(id=k.id, name=k.name, unit=k.unit, stage=k.stage, why=" ".join(whys), data=k.data,
                        panel=k.panel, target=target,
                        sources=[cat.references[r].model_dump() for r in k.references]))
    order = {s: i for i, s in enumerate(STAGES)}
    kpis.sort(key=lambda k: order[k.stage])
    return LogicModel(design=design.name, kpis=kpis, undecided=undecided, **stages)


def _target(k: KPIDef, design: Design) -> dict[str, Any] | None:
    spec = k.target
    if spec is None:
        return None
    if spec.value is not None:
        return {"value": spec.value, "direction": "about", "basis": spec.note, "assumption": spec.assumption,
                "range": spec.range}
    lv = design.levers
    cur = design.context.currency or "currency units"
    rule = spec.rule
    if rule == "funding_intensity" and isinstance(lv.get("funding_intensity"), (int, float)):
        v = float(lv["funding_intensity"])
        return {"value": v, "direction": "about", "assumption": False,
                "basis": f"design lever funding_intensity = {v:g} million {cur} per cluster-year"}
    if rule == "portfolio_size" and isinstance(lv.get("portfolio_size"), (int, float)):
        v = float(lv["portfolio_size"])
        return {"value": v, "direction": "about", "assumption": False, "basis": f"design lever portfolio_size = {v:g}"}
    if rule == "private_match_ratio" and isinstance(lv.get("private_match"), (int, float)):
        m = float(lv["private_match"])
        if m <= 0:
            return None
        return {"value": round(m / (100.0 - m), 3), "direction": "at_least", "assumption": False,
                "basis": f"design lever private_match = {m:g}% of eligible cost from non-program sources, i.e. "
                         f"{m:g}/{100 - m:g} private per public unit"}
    rt = lv.get("revenue_transition")
    horizon = lv.get("funding_horizon")
    by = f" (funding_horizon = {horizon:g} years)" if isinstance(horizon, (int, float)) else ""
    if rule == "revenue_transition_public_share":
        if rt == "sunset":
            return {"value": 0.0, "direction": "at_most", "assumption": False,
                    "basis": f"revenue_transition = sunset: no program money after the support period{by}"}
        if rt in ("capped_share", "tapering"):
            return {"value": 0.5, "direction": "at_most", "assumption": True, "range": [0.45, 0.6],
                    "basis": f"revenue_transition = {rt}: France's ceiling went to below 50% public; mature European "
                             f"cluster organisations are about 45-55% public{by if rt == 'tapering' else ''}",
                    "sources": ["https://conferenceconsensuslogement.senat.fr/rap/r09-040/r09-0407.html"]}
        return None
    if rule == "revenue_transition_self_generated":
        if rt == "sunset":
            return {"value": 0.5, "direction": "at_least", "assumption": True, "range": [0.3, 0.7],
                    "basis": f"revenue_transition = sunset: fees and services must carry the organisation{by}; "
                             "assumed half of the budget, the rest from projects"}
        if rt in ("capped_share", "tapering"):
            return {"value": 0.3, "direction": "at_least", "assumption": True, "range": [0.2, 0.5],
                    "basis": f"revenue_transition = {rt}: fees and services fill part of the gap left by the cap or "
                             "taper (assumption; project money fills the rest)"}
    return None
