"""Redesign mode: the lever moves of a redesign, and atlas programs that made similar moves
between their own generations (e.g. France's pôles from phase to phase)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from pydantic import BaseModel

from ..canvas import load_canvas
from .model import Program
from .similarity import program_units

# a numeric lever "moved" when its position on the lever's own scale changed by at least this much
MIN_NUMERIC_MOVE = 0.03


class GenerationMove(BaseModel):
    before: str
    after: str
    before_name: str
    after_name: str
    shared: list[str]          # levers moved in the same direction as the redesign
    opposite: list[str]        # levers moved the other way
    score: float               # shared minus half the opposite, over the redesign's moves


def moves_between(u_before: np.ndarray, u_after: np.ndarray) -> dict[str, int]:
    """Lever id -> +1 (up) or -1 (down), for levers known on both sides that moved."""
    canvas = load_canvas()
    out: dict[str, int] = {}
    for j, lv in enumerate(canvas.levers):
        a, b = u_before[j], u_after[j]
        if np.isnan(a) or np.isnan(b):
            continue
        delta = b - a
        threshold = MIN_NUMERIC_MOVE if lv.kind == "numeric" else 1e-9
        if abs(delta) > threshold:
            out[lv.id] = 1 if delta > 0 else -1
    return out


def generation_pairs(atlas: Mapping[str, Program]) -> list[tuple[Program, Program]]:
    pairs = []
    for p in atlas.values():
        for s in p.successors:
            if s in atlas:
                pairs.append((p, atlas[s]))
    return sorted(pairs, key=lambda ab: (ab[0].id, ab[1].id))


def similar_generation_moves(redesign: Mapping[str, int], atlas: Mapping[str, Program],
                             top: int = 5) -> list[GenerationMove]:
    if not redesign:
        return []
    out = []
    for a, b in generation_pairs(atlas):
        m = moves_between(program_units(a), program_units(b))
        shared = [k for k, d in redesign.items() if m.get(k) == d]
        opposite = [k for k, d in redesign.items() if m.get(k) == -d]
        if not shared:
            continue
        score = (len(shared) - 0.5 * len(opposite)) / len(redesign)
        out.append(GenerationMove(before=a.id, after=b.id, before_name=a.name, after_name=b.name,
                                  shared=shared, opposite=opposite, score=round(score, 3)))
    return sorted(out, key=lambda g: (-g.score, g.before))[:top]
