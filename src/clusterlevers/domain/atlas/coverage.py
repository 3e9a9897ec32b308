"""How much of the atlas is coded: levers known / unknown per program and per lever."""

from __future__ import annotations

from typing import Any

from ..canvas import load_canvas
from .loader import load_atlas


def coverage() -> dict[str, Any]:
    atlas = load_atlas()
    canvas = load_canvas()
    per_program = [{"program": p.id, "coded": sum(1 for c in p.levers.values() if c.known),
                    "unknown": [k for k, c in p.levers.items() if not c.known]} for p in atlas.values()]
    per_lever: list[dict[str, Any]] = []
    for lv in canvas.levers:
        coded = sum(1 for p in atlas.values() if p.levers[lv.id].known)
        per_lever.append({"lever": lv.id, "coded": coded, "unknown": len(atlas) - coded})
    total = len(atlas) * len(canvas.levers)
    known = sum(int(r["coded"]) for r in per_lever)
    return {"programs": len(atlas), "countries": len({p.country for p in atlas.values()}),
            "coded_share": known / total if total else 0.0, "per_lever": per_lever, "per_program": per_program}
