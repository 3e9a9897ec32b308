"""Model parameters of the financing simulator, loaded from ``data/financing/parameters.yaml``.

Each parameter carries its distribution, bounds, evidence grade and sources, so every number the
simulator produces can be traced to a parameter and its grade.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..canvas import Reference, data_text
from ..documents import parse_text
from ..errors import InputError, Problem

Grade = Literal["evidence", "assumption"]
SOURCE = "clusterlevers/data/financing/parameters.yaml"


class ParamSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    symbol: str
    description: str
    unit: str
    distribution: Literal["uniform", "triangular", "fixed"]
    low: float | None = None
    high: float | None = None
    mode: float | None = None
    value: float | None = None
    spread: float = Field(0.0, ge=0, le=2)
    limits: tuple[float, float] | None = None
    evidence: Grade
    feeds: list[str] = Field(min_length=1)
    sources: list[Reference] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> ParamSpec:
        if self.distribution == "fixed":
            if self.value is None:
                raise ValueError("a fixed parameter needs value")
        else:
            if self.low is None or self.high is None or not self.low < self.high:
                raise ValueError("needs low < high")
            if self.distribution == "triangular" and (self.mode is None or not self.low <= self.mode <= self.high):
                raise ValueError("a triangular parameter needs low <= mode <= high")
        if self.evidence == "evidence" and not self.sources:
            raise ValueError("an evidence-graded parameter needs at least one source")
        return self

    @property
    def range(self) -> tuple[float, float]:
        if self.distribution == "fixed":
            assert self.value is not None
            return self.value, self.value
        assert self.low is not None and self.high is not None
        return self.low, self.high

    @property
    def central(self) -> float:
        if self.distribution == "fixed":
            assert self.value is not None
            return self.value
        if self.distribution == "triangular":
            assert self.mode is not None
            return self.mode
        lo, hi = self.range
        return (lo + hi) / 2

    def quantile(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF of the draw-level distribution at uniforms ``u``."""
        if self.distribution == "fixed":
            return np.full_like(u, self.central)
        lo, hi = self.range
        if self.distribution == "uniform":
            return lo + u * (hi - lo)
        assert self.mode is not None
        c = (self.mode - lo) / (hi - lo)
        left = lo + np.sqrt(u * (hi - lo) * (self.mode - lo))
        right = hi - np.sqrt((1 - u) * (hi - lo) * (hi - self.mode))
        return np.where(u < c, left, right)

    def provenance(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "symbol": self.symbol, "unit": self.unit, "evidence": self.evidence,
                               "distribution": self.distribution, "range": list(self.range),
                               "description": self.description,
                               "sources": [s.href for s in self.sources]}
        if self.spread:
            out["cluster_spread"] = self.spread
        return out


class Rule(BaseModel):
    """A design rule: how a lever becomes program mechanics."""

    model_config = ConfigDict(extra="allow")
    description: str
    evidence: Grade
    sources: list[Reference] = Field(default_factory=list)


class Target(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    description: str
    low: float
    high: float
    evidence: Grade
    sources: list[Reference] = Field(min_length=1)


class ParameterFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int
    currency: Literal["EUR"]
    money_unit: str
    parameters: list[ParamSpec]
    design_rules: dict[str, Rule]
    targets: list[Target]

    @model_validator(mode="after")
    def _unique(self) -> ParameterFile:
        ids = [p.id for p in self.parameters]
        if len(ids) != len(set(ids)):
            raise ValueError("duplicate parameter id")
        return self

    @property
    def by_id(self) -> dict[str, ParamSpec]:
        return {p.id: p for p in self.parameters}

    @property
    def ids(self) -> list[str]:
        return [p.id for p in self.parameters]

    def rule(self, name: str) -> Rule:
        return self.design_rules[name]

    def assumption_ids(self, varying_only: bool = True) -> list[str]:
        return [p.id for p in self.parameters
                if p.evidence == "assumption" and (not varying_only or p.distribution != "fixed")]


@lru_cache(maxsize=1)
def load_parameters() -> ParameterFile:
    """The shipped parameter file, validated once."""
    doc = parse_text(data_text("financing/parameters.yaml"), SOURCE)
    try:
        return ParameterFile.model_validate(doc.data)
    except Exception as exc:  # a broken shipped file is a packaging bug: say where
        raise InputError([Problem(message=str(exc), file=SOURCE)]) from None


def check_overrides(overrides: Mapping[str, float] | None, spec: ParameterFile | None = None) -> dict[str, float]:
    """Validate parameter overrides ``{id: value}`` (fixed draw-level values)."""
    if not overrides:
        return {}
    spec = spec or load_parameters()
    problems: list[Problem] = []
    out: dict[str, float] = {}
    for key, value in overrides.items():
        if key not in spec.by_id:
            problems.append(Problem(f"unknown model parameter; known: {', '.join(spec.ids)}", field=f"params.{key}"))
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
            problems.append(Problem(f"expected a number, got {value!r}", field=f"params.{key}"))
            continue
        lim = spec.by_id[key].limits
        if lim is not None and not lim[0] <= value <= lim[1]:
            problems.append(Problem(f"{value:g} is outside the limits {lim[0]:g}-{lim[1]:g}", field=f"params.{key}"))
            continue
        out[key] = float(value)
    if problems:
        raise InputError(problems)
    return out


def sample_block(spec: ParameterFile, u: np.ndarray, z: np.ndarray, overrides: Mapping[str, float],
                 clusters: int, spread_scale: float = 1.0) -> dict[str, np.ndarray]:
    """Parameter arrays of shape (draws, clusters) for one block of draws.

    ``u`` (n_params, draws) are uniforms for the program-wide value of each parameter in each
    draw; ``z`` (n_params, draws, max_clusters) are standard normals for cluster heterogeneity.
    Overrides fix the program-wide value (used by sensitivity analysis and calibration tests).
    """
    out: dict[str, np.ndarray] = {}
    for i, p in enumerate(spec.parameters):
        draw_value = np.full(u.shape[1], overrides[p.id]) if p.id in overrides else p.quantile(u[i])
        if p.spread and spread_scale:
            vals = draw_value[:, None] * np.exp(p.spread * spread_scale * z[i, :, :clusters])
        else:
            vals = np.broadcast_to(draw_value[:, None], (u.shape[1], clusters))
        if p.limits is not None:
            vals = np.clip(vals, p.limits[0], p.limits[1])
        out[p.id] = np.ascontiguousarray(vals)
    return out
