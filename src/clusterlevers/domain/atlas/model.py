"""Pydantic models of an atlas record (see docs/atlas-format.md)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

URL = r"^https?://[^\s<>\"]+\.[^\s<>\"]+$"
Confidence = Literal["high", "medium", "low"]
UNKNOWN = "unknown"


class Sourced(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sources: list[str] = Field(default_factory=list)
    confidence: Confidence = "low"
    note: str | None = None
    derived: str | None = Field(None, description="The arithmetic, when the figure is computed from other facts")

    @field_validator("sources")
    @classmethod
    def _urls(cls, v: list[str]) -> list[str]:
        import re

        for url in v:
            if not isinstance(url, str) or not re.match(URL, url):
                raise ValueError(f"not a well-formed http(s) URL: {url!r}")
        return v


class Fact(Sourced):
    value: Any = None
    year: int | None = None


class MoneyFact(Sourced):
    amount: float | None = None
    currency: str | None = None
    unit: Literal["million"] = "million"
    period: str | None = None
    year: int | None = None


class Facts(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start_year: Fact
    end_year: Fact
    agency: Fact
    clusters: Fact
    total_public_budget: MoneyFact
    funding_per_cluster_year: MoneyFact
    funding_horizon_years: Fact
    private_match_pct: Fact
    selection_method: Fact
    sector_focus: Fact
    tiers: Fact
    eligible_uses: Fact
    identity_exception: str | None = Field(
        None, description="Why total budget / (clusters x horizon) legitimately differs from the per-cluster figure")


class Evaluation(Sourced):
    by: str | None = None
    year: int | None = None
    method: str | None = None
    headline: str | None = None


class Outcome(Sourced):
    value: str | None = None


class LeverCoding(Sourced):
    position: str | None = None
    value: float | None = None
    currency: str | None = None
    price_year: int | None = None
    why: str | None = None

    @property
    def known(self) -> bool:
        return (self.position is not None and self.position != UNKNOWN) or self.value is not None


class Program(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    family: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    native_name: str | None = None
    country: str = Field(pattern=r"^[A-Z]{2}$")
    region: str | None = Field(None, pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
    level: Literal["national", "regional"]
    predecessors: list[str] = Field(default_factory=list)
    successors: list[str] = Field(default_factory=list)
    summary: str | None = None
    facts: Facts
    evaluations: list[Evaluation] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(default_factory=list)
    levers: dict[str, LeverCoding]

    def lever_values(self) -> dict[str, str | float]:
        """Known lever codings as design-style values (position id or number)."""
        out: dict[str, str | float] = {}
        for lid, c in self.levers.items():
            if c.value is not None:
                out[lid] = c.value
            elif c.position is not None and c.position != UNKNOWN:
                out[lid] = c.position
        return out

    @property
    def start_year(self) -> int | None:
        v = self.facts.start_year.value
        return int(v) if isinstance(v, int) else None

    @property
    def currency(self) -> str | None:
        c = self.levers.get("funding_intensity")
        return c.currency if c else None

    def label(self) -> str:
        return f"{self.name} ({self.country}{', ' + str(self.start_year) if self.start_year else ''})"


def program_schema() -> dict[str, Any]:
    schema = Program.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "clusterlevers atlas program record"
    return schema
