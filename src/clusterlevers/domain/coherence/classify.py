"""What kind of program is this? innovation_cluster, supercluster or nation_shaping.

Every decided lever position gives points to the families (``data/program_types.yaml``); the
verdict is the family with most points, and the evidence lists which way each lever points.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..canvas import Lever, data_text, load_canvas
from ..design import Design
from ..documents import parse_text
from ..errors import InputError, Problem
from ..money import convert

SOURCE = "clusterlevers/data/program_types.yaml"


class Family(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    label: str
    definition: str
    exemplars: list[str] = Field(default_factory=list)
    references: list[dict[str, str]] = Field(min_length=1)


class Confidence(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min_decided: int
    min_margin: float


class ProgramTypes(BaseModel):
    model_config = ConfigDict(extra="forbid")
    families: list[Family]
    ambition: dict[str, list[str]]
    means_levers: list[str]
    min_means_levers: int = 2
    confidence: dict[str, Confidence]
    mixed_margin: float
    points: dict[str, dict[str, dict[str, float]]]

    @property
    def family_ids(self) -> list[str]:
        return [f.id for f in self.families]

    def label(self, family: str | None) -> str | None:
        return next((f.label for f in self.families if f.id == family), None)


@lru_cache(maxsize=1)
def load_program_types() -> ProgramTypes:
    doc = parse_text(data_text("program_types.yaml"), SOURCE)
    try:
        pt = ProgramTypes.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError([doc.problem(e["msg"], *e["loc"], field_name=".".join(map(str, e["loc"])))
                          for e in exc.errors()]) from None
    problems = _check(pt, doc)
    if problems:
        raise InputError(problems)
    return pt


def _check(pt: ProgramTypes, doc: Any) -> list[Problem]:
    """Cross-checks against the canvas: every lever and position covered, unique top family."""
    canvas = load_canvas()
    fams = set(pt.family_ids)
    out: list[Problem] = []
    for lever in canvas.levers:
        table = pt.points.get(lever.id)
        if table is None:
            out.append(doc.problem(f"no points for lever {lever.id}", "points", field_name=f"points.{lever.id}"))
            continue
        if set(table) != set(lever.stops):
            out.append(doc.problem(f"positions must be exactly {', '.join(lever.stops)}", "points", lever.id,
                                   field_name=f"points.{lever.id}"))
        for pos, weights in table.items():
            bad = set(weights) - fams
            if bad:
                out.append(doc.problem(f"unknown family {sorted(bad)[0]}", "points", lever.id, pos,
                                       field_name=f"points.{lever.id}.{pos}"))
            top = max(weights.values(), default=0)
            if weights and sum(1 for w in weights.values() if w == top) > 1:
                out.append(doc.problem("two families tie for the top weight; make one lead or use {}", "points",
                                       lever.id, pos, field_name=f"points.{lever.id}.{pos}"))
    ambition = canvas.by_id["ambition_level"]
    if set(pt.ambition) != set(ambition.position_ids):
        out.append(doc.problem("ambition must list every ambition_level position", "ambition", field_name="ambition"))
    for lid in pt.means_levers:
        if lid not in canvas.by_id:
            out.append(doc.problem(f"unknown lever {lid}", "means_levers", field_name="means_levers"))
    return out


def stop_of(lever: Lever, value: Any, design: Design) -> str | None:
    """The position id (ordinal) or band id (numeric) of a lever value; money is banded in EUR."""
    if value is None:
        return None
    if lever.kind == "ordinal":
        return str(value)
    number = float(value)
    if lever.money and lever.range_currency:
        cur = design.context.currency
        if not cur:
            return None
        if cur != lever.range_currency:
            conv = convert(number, cur, lever.range_currency, design.price_year)
            if conv is None:
                return None
            number = conv.value
    return lever.band(number).id


def _scores(design: Design, lever_ids: list[str]) -> tuple[dict[str, float], list[dict[str, Any]]]:
    pt = load_program_types()
    canvas = load_canvas()
    scores = dict.fromkeys(pt.family_ids, 0.0)
    evidence: list[dict[str, Any]] = []
    for lid in lever_ids:
        stop = stop_of(canvas.by_id[lid], design.levers.get(lid), design)
        if stop is None:
            continue
        weights = pt.points[lid].get(stop, {})
        for fam, w in weights.items():
            scores[fam] += w
        if weights:
            top = max(weights, key=lambda f: weights[f])
            evidence.append({"lever": lid, "position": stop, "points_to": top,
                             "weights": {f: weights[f] for f in pt.family_ids if f in weights}})
    return scores, evidence


def _top(scores: dict[str, float], order: list[str]) -> list[str]:
    return sorted(order, key=lambda f: (-scores[f], order.index(f)))


def ambition_families(design: Design) -> list[str] | None:
    value = design.levers.get("ambition_level")
    return None if value is None else list(load_program_types().ambition[str(value)])


def means_family(design: Design) -> str | None:
    """Family that funding, horizon, uses and governance point to; prefers a family the ambition allows on ties."""
    pt = load_program_types()
    scores, evidence = _scores(design, pt.means_levers)
    if len(evidence) < pt.min_means_levers:
        return None
    best = max(scores.values())
    tied = [f for f in pt.family_ids if scores[f] == best]
    allowed = ambition_families(design) or []
    return next((f for f in tied if f in allowed), tied[0])


def classify_program(design: Design) -> dict[str, Any]:
    """The program-type verdict: family, label, confidence, evidence per lever, summary and ``mixed``."""
    pt = load_program_types()
    canvas = load_canvas()
    scores, evidence = _scores(design, [lv.id for lv in canvas.levers])
    order = pt.family_ids
    ranked = _top(scores, order)
    best, second = ranked[0], ranked[1]
    decided = len(evidence)
    base: dict[str, Any] = {"scores": {f: round(scores[f], 3) for f in order}, "evidence": evidence,
                            "decided_levers": decided,
                            "ambition_families": ambition_families(design), "means_family": means_family(design)}
    if decided < 3 or scores[best] <= 0:
        return {"family": None, "label": None, "confidence": "none", "mixed": False,
                "summary": "Too few levers decided to tell what kind of program this is.", **base}
    margin = (scores[best] - scores[second]) / scores[best]
    confidence = "low"
    for level in ("high", "medium"):
        c = pt.confidence.get(level)
        if c is not None and decided >= c.min_decided and margin >= c.min_margin:
            confidence = level
            break
    amb, means = base["ambition_families"], base["means_family"]
    ambition_mismatch = bool(amb and means and means not in amb)
    mixed = margin < pt.mixed_margin or ambition_mismatch
    canvas_names = {lv.id: lv.name.lower() for lv in canvas.levers}
    pointing = sorted((e for e in evidence if e["points_to"] == best), key=lambda e: -e["weights"][best])
    signals = ", ".join(f"{canvas_names[e['lever']]} {e['position'].replace('_', ' ')}" for e in pointing[:4])
    total = sum(scores.values())
    summary = (f"Reads as {_a(str(pt.label(best)).lower())} ({confidence} confidence; {scores[best]:g} of "
               f"{total:g} points)." + (f" Strongest signals: {signals}." if signals else ""))
    against = [(f, [e["lever"] for e in evidence if e["points_to"] == f]) for f in order if f != best]
    parts = [f"{len(ls)} to {_a(str(pt.label(f)).lower())}" for f, ls in against if ls]
    if parts:
        summary += " Levers pointing elsewhere: " + ", ".join(parts) + "."
    if ambition_mismatch:
        summary += (f" The stated ambition belongs to {' or '.join(_a(str(pt.label(f)).lower()) for f in amb or [])}, "
                    f"but funding, horizon, uses and governance read as {_a(str(pt.label(means)).lower())}.")
    return {"family": best, "label": pt.label(best), "confidence": confidence, "mixed": mixed,
            "summary": summary, "runner_up": second, "margin": round(margin, 3), **base}


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun
