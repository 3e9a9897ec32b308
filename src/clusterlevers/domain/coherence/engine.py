"""The one small engine that evaluates every rule file against a design."""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, Field

from ..canvas import Lever, load_canvas
from ..derived import Derived
from ..design import Design
from ..money import convert
from .conditions import Facts, Ref, evaluate
from .facts import DERIVED_FACTS, build_facts
from .rules import PLACEHOLDER_RE, SEVERITIES, MoveSpec, Rule, load_rules

SEVERITY_RANK = {s: i for i, s in enumerate(reversed(SEVERITIES))}  # critical 0, warning 1, info 2


class Finding(BaseModel):
    """One tension the canvas explains: what, why, the evidence, and a move that would ease it."""

    id: str
    severity: str
    levers: list[str]
    message: str
    why: str
    evidence: list[dict[str, str]] = Field(default_factory=list)
    suggestion: str | None = None
    move: dict[str, Any] | None = None
    title: str = ""
    covers: list[str] = Field(default_factory=list)


@lru_cache(maxsize=1)
def _needed_derived() -> frozenset[str]:
    return frozenset(name for rule in load_rules() for name in rule.derived)


def evaluate_rules(design: Design, derived: Derived, rules: list[Rule] | None = None) -> list[Finding]:
    """Findings of every rule that fires for ``design``, most severe first, then by id.

    A rule whose levers are not all decided is not evaluated. Pure and deterministic.
    """
    if rules is None:
        rules = load_rules()
        needed: set[str] | frozenset[str] = _needed_derived()
    else:
        needed = {name for r in rules for name in r.derived}
    facts = build_facts(design, derived, set(needed))
    findings = [f for rule in rules if (f := evaluate_rule(rule, design, facts)) is not None]
    return sorted(findings, key=lambda f: (SEVERITY_RANK[f.severity], f.id))


def evaluate_rule(rule: Rule, design: Design, facts: Facts) -> Finding | None:
    if any(lv not in design.levers for lv in rule.levers):
        return None
    rfacts = facts.with_params({k: p.value for k, p in rule.parameters.items()})
    canvas = load_canvas()
    if evaluate(rule.when, rfacts, canvas) is not True:
        return None
    severity = rule.severity
    esc = rule.escalate
    if esc and all(lv in design.levers for lv in esc.levers) and evaluate(esc.when, rfacts, canvas) is True:
        severity = esc.severity
    used = set(rule.all_levers) | {lv for d in rule.derived for lv in DERIVED_FACTS[d].levers}
    levers = [lv.id for lv in canvas.levers if lv.id in used and lv.id in design.levers]
    return Finding(
        id=rule.id, title=rule.title, severity=severity, levers=levers,
        message=render(rule.message, rfacts), why=render(rule.why, rfacts),
        evidence=[dict(e) for e in rule.evidence], suggestion=rule.suggestion or None,
        move=compute_move(rule.move, design, rfacts), covers=list(rule.covers),
    )


# ------------------------------------------------------------------ text

def fmt_number(x: float) -> str:
    """Numbers as an official would say them: 950, 12.5, 0.19, 1,250."""
    a = abs(x)
    if a >= 100:
        return f"{x:,.0f}"
    if a >= 10:
        return f"{x:.1f}".removesuffix(".0")
    if a >= 1:
        return f"{x:.1f}".removesuffix(".0")
    if a == 0:
        return "0"
    return f"{x:.2g}"


def _render_value(kind: str, name: str, value: Any) -> str:
    if value is None:
        return "not set"
    if kind == "lever":
        lever = load_canvas().by_id[name]
        if lever.kind == "ordinal":
            return lever.position(str(value)).label.lower()
        return fmt_number(float(value))
    if kind == "derived" and name in ("means_family", "ambition_families"):
        from .classify import load_program_types

        pt = load_program_types()
        items = value if isinstance(value, list) else [value]
        return " or ".join(_article(str(pt.label(v) or v).lower()) for v in items)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return fmt_number(float(value))
    return str(value)


def _article(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def render(template: str, facts: Facts) -> str:
    def sub(m: re.Match[str]) -> str:
        kind, name = m.group(1), m.group(2)
        return _render_value(kind, name, facts.get(Ref(kind, name)))

    return PLACEHOLDER_RE.sub(sub, template)


# ------------------------------------------------------------------ moves

def _ceil_sig(x: float, digits: int = 3) -> float:
    if x <= 0:
        return x
    scale = 10 ** (digits - 1 - math.floor(math.log10(x)))
    return math.ceil(x * scale - 1e-9) / scale


def compute_move(spec: MoveSpec | None, design: Design, facts: Facts) -> dict[str, Any] | None:
    """A concrete one-click move ``{lever, from, to, label}``, or None when there is nothing to move."""
    if spec is None:
        return None
    lever = load_canvas().by_id[spec.lever]
    current = design.levers.get(lever.id)
    target: Any
    if spec.direction is not None:
        if current is None:
            return None
        rank = lever.rank(str(current)) + (1 if spec.direction == "up" else -1)
        if not 0 <= rank < len(lever.positions):
            return None
        target = lever.position_ids[rank]
    elif isinstance(spec.to, Ref):
        value = facts.get(spec.to)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return None
        target = _numeric_target(lever, float(value), spec.to, design)
        if target is None:
            return None
    else:
        target = spec.to
    if target == current:
        return None
    return {"lever": lever.id, "from": current, "to": target, "label": _label(lever, target, design)}


def _numeric_target(lever: Lever, value: float, ref: Ref, design: Design) -> float | int | None:
    if lever.money and ref.kind == "param":  # rule parameters are EUR: convert into the design currency
        cur = design.context.currency
        if not cur:
            return None
        conv = convert(value, "EUR", cur, design.price_year)
        if conv is None:
            return None
        value = _ceil_sig(conv.value)
    if lever.integer:
        return int(math.floor(value + 1e-9))
    if not lever.money and lever.min is not None and lever.max is not None:
        value = min(max(value, lever.min), lever.max)
    return value


def _label(lever: Lever, target: Any, design: Design) -> str:
    if lever.kind == "ordinal":
        return f"{lever.name}: {lever.position(str(target)).label}"
    unit = f"{design.context.currency or ''} m per cluster-year".strip() if lever.money else (lever.unit or "")
    return f"{lever.name}: {fmt_number(float(target))} {unit}".rstrip()
