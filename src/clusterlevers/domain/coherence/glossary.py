"""The canvas glossary (``data/glossary.yaml``): cluster terms and the terms of the 16 levers, with sources."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..canvas import Reference, data_text, load_canvas
from ..documents import parse_text
from ..errors import InputError, Problem

SOURCE = "clusterlevers/data/glossary.yaml"


class Term(BaseModel):
    model_config = ConfigDict(extra="forbid")
    term: str = Field(min_length=1)
    definition: str = Field(min_length=10)
    lever: str | None = Field(None, description="The lever id this term names, if any")
    see_also: list[str] = Field(default_factory=list)
    references: list[Reference] = Field(min_length=1)

    @field_validator("definition")
    @classmethod
    def _one_line(cls, v: str) -> str:
        return " ".join(v.split())


@lru_cache(maxsize=1)
def _load() -> tuple[Term, ...]:
    doc = parse_text(data_text("glossary.yaml"), SOURCE)
    raw = doc.data.get("terms") if isinstance(doc.data, dict) else None
    if not isinstance(raw, list):
        raise InputError([Problem("expected a mapping with a list 'terms'", "terms", SOURCE, 1)])
    terms: list[Term] = []
    problems: list[Problem] = []
    for i, item in enumerate(raw):
        try:
            terms.append(Term.model_validate(item))
        except ValidationError as exc:
            for e in exc.errors():
                problems.append(doc.problem(e["msg"], "terms", i, *e["loc"],
                                            field_name=".".join(map(str, ("terms", i, *e["loc"])))))
    canvas = load_canvas()
    names = {t.term.lower() for t in terms}
    for i, t in enumerate(terms):
        if t.lever is not None and t.lever not in canvas.by_id:
            problems.append(doc.problem(f"unknown lever '{t.lever}'", "terms", i, "lever"))
        for other in t.see_also:
            if other.lower() not in names:
                problems.append(doc.problem(f"see_also names a term not in the glossary: '{other}'", "terms", i,
                                            "see_also"))
    if len(names) != len(terms):
        problems.append(Problem("a term is defined twice", "terms", SOURCE))
    if problems:
        raise InputError(problems)
    return tuple(sorted(terms, key=lambda t: t.term.lower()))


def glossary(term: str | None = None) -> list[dict[str, Any]]:
    """Every glossary entry ``{term, definition, lever, see_also, references}``, alphabetical.

    With ``term``, only the entry of that name (case-insensitive), or an empty list.
    """
    out = [t.model_dump() for t in _load()]
    if term is not None:
        out = [t for t in out if t["term"].lower() == term.strip().lower()]
    return out
