"""The Cluster Policy Levers Canvas: areas and levers, loaded from ``data/canvas.yaml``."""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .documents import parse_text
from .errors import InputError, Problem


class Reference(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    href: str = Field(pattern=r"^https?://\S+$")


class Area(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    question: str


class Position(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    meaning: str


class Band(BaseModel):
    """A named band of a numeric lever; ``max`` is inclusive, the last band has none."""

    model_config = ConfigDict(extra="forbid")
    id: str
    label: str
    max: float | None = None


class Lever(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    code: str = Field(pattern=r"^[a-z]{2}$", description="Stable short code used in URLs; never reused.")
    name: str
    area: str
    definition: str
    kind: Literal["ordinal", "numeric"]
    default: str | float
    references: list[Reference] = Field(min_length=1)
    # ordinal
    positions: list[Position] = Field(default_factory=list)
    cumulative: bool = False
    # numeric
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    scale: Literal["linear", "log"] | None = None
    integer: bool = False
    money: bool = False
    range_currency: str | None = None
    bands: list[Band] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_kind(self) -> Lever:
        if self.kind == "ordinal":
            if len(self.positions) < 2:
                raise ValueError("an ordinal lever needs at least two positions")
            if self.default not in self.position_ids:
                raise ValueError(f"default {self.default!r} is not one of the positions")
        else:
            if self.min is None or self.max is None or self.unit is None or self.scale is None:
                raise ValueError("a numeric lever needs unit, min, max and scale")
            if not self.min < self.max:
                raise ValueError("min must be below max")
            if self.scale == "log" and self.min <= 0:
                raise ValueError("a log lever needs min > 0")
            if not isinstance(self.default, (int, float)) or not self.min <= self.default <= self.max:
                raise ValueError("default must be a number within the range")
            if not self.bands or self.bands[-1].max is not None:
                raise ValueError("a numeric lever needs bands, the last without max")
        return self

    @property
    def position_ids(self) -> list[str]:
        return [p.id for p in self.positions]

    @property
    def stops(self) -> list[str]:
        """Position ids (ordinal) or band ids (numeric), in order."""
        return self.position_ids if self.kind == "ordinal" else [b.id for b in self.bands]

    def rank(self, position: str) -> int:
        """0-based rank of an ordinal position."""
        return self.position_ids.index(position)

    def position(self, position_id: str) -> Position:
        return self.positions[self.rank(position_id)]

    def band(self, value: float) -> Band:
        for b in self.bands:
            if b.max is None or value <= b.max:
                return b
        return self.bands[-1]

    def unit_interval(self, value: float) -> float:
        """Map a numeric value onto [0, 1] along the lever's own scale (log where log)."""
        assert self.min is not None and self.max is not None
        v = min(max(value, self.min), self.max)
        if self.scale == "log":
            return (math.log(v) - math.log(self.min)) / (math.log(self.max) - math.log(self.min))
        return (v - self.min) / (self.max - self.min)

    def public_dict(self) -> dict[str, object]:
        """The JSON shape of ``clusterlevers levers --json`` (stable public keys first)."""
        out: dict[str, object] = {"id": self.id, "code": self.code, "name": self.name, "area": self.area,
                                  "kind": self.kind, "stops": self.stops, "definition": self.definition,
                                  "default": self.default}
        if self.kind == "ordinal":
            out["cumulative"] = self.cumulative
            out["positions"] = [p.model_dump() for p in self.positions]
        else:
            out.update({"min": self.min, "max": self.max, "unit": self.unit, "scale": self.scale,
                        "integer": self.integer, "money": self.money,
                        "bands": [b.model_dump() for b in self.bands]})
            if self.range_currency:
                out["range_currency"] = self.range_currency
        out["references"] = [r.model_dump() for r in self.references]
        return out


class Canvas(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int
    areas: list[Area]
    levers: list[Lever]

    @model_validator(mode="after")
    def _check(self) -> Canvas:
        area_ids = {a.id for a in self.areas}
        ids = [lv.id for lv in self.levers]
        codes = [lv.code for lv in self.levers]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate lever id")
        if len(set(codes)) != len(codes):
            raise ValueError("duplicate lever code")
        for lv in self.levers:
            if lv.area not in area_ids:
                raise ValueError(f"lever {lv.id}: unknown area {lv.area}")
        return self

    @property
    def by_id(self) -> dict[str, Lever]:
        return _index(self)

    def lever(self, lever_id: str) -> Lever:
        return self.by_id[lever_id]

    def levers_in(self, area_id: str) -> list[Lever]:
        return [lv for lv in self.levers if lv.area == area_id]


_INDEX: dict[int, dict[str, Lever]] = {}


def _index(canvas: Canvas) -> dict[str, Lever]:
    key = id(canvas)
    if key not in _INDEX:
        _INDEX[key] = {lv.id: lv for lv in canvas.levers}
    return _INDEX[key]


def data_text(name: str) -> str:
    """Text of a data file shipped inside the package (``clusterlevers/data/<name>``)."""
    return resources.files("clusterlevers").joinpath("data", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def load_canvas() -> Canvas:
    """The shipped canvas, loaded and validated once."""
    doc = parse_text(data_text("canvas.yaml"), "clusterlevers/data/canvas.yaml")
    try:
        return Canvas.model_validate(doc.data)
    except Exception as exc:  # a broken shipped file is a packaging bug: say where
        raise InputError([Problem(message=str(exc), file=doc.source)]) from None


def levers() -> list[Lever]:
    """The 16 levers of the canvas, in canvas order."""
    return list(load_canvas().levers)
