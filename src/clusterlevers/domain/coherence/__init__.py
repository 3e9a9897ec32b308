"""Coherence: rules that explain a design's tensions, and the program-type classifier.

TEMPORARY minimal version so `check` runs while the rule engine (issue 4) is being written.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from ..derived import Derived
from ..design import Design


class Finding(BaseModel):
    id: str
    severity: str
    levers: list[str]
    message: str
    why: str
    evidence: list[str] = Field(default_factory=list)
    suggestion: str | None = None


def evaluate_rules(design: Design, derived: Derived) -> list[Finding]:
    return []


def classify_program(design: Design) -> dict[str, Any]:
    return {"family": None, "evidence": []}
