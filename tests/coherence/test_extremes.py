"""SDEverywhere-style checks: every combination of extreme positions of the levers a rule reads.

For each rule, every lever it reads (directly or through a derived figure) is set to its first or
last position (numeric: min or max), under contrasting contexts, with the other levers undecided or
all at their first position. The engine must not crash, must give the same answer twice, and every
finding must name existing levers, resolvable evidence, well-formed URLs and a valid move.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from clusterlevers.domain.canvas import Lever, load_canvas
from clusterlevers.domain.coherence import classify_program, load_rules
from clusterlevers.domain.coherence.rules import SEVERITIES, url_ok
from clusterlevers.domain.design import Design

from .conftest import ATLAS, findings_of

CONTEXTS: list[dict[str, Any]] = [
    {"currency": "EUR", "price_year": 2024, "budget_envelope": 0.5, "population": 20_000, "state_structure": "federal",
     "political_cycle": 1, "continuity_safeguard": False, "starting_point": "reinvent", "overhead_pct": 50},
    {"currency": "EUR", "price_year": 2024, "budget_envelope": 1e7, "population": 1.5e9, "state_structure": "unitary",
     "political_cycle": 10, "continuity_safeguard": True, "starting_point": "start"},
    {"currency": "JPY", "price_year": 2001},
]


def extremes(lever: Lever) -> list[Any]:
    if lever.kind == "ordinal":
        return [lever.position_ids[0], lever.position_ids[-1]]
    assert lever.min is not None and lever.max is not None
    lo, hi = lever.min, lever.max
    return [int(lo), int(hi)] if lever.integer else [lo, hi]


def first_positions() -> dict[str, Any]:
    return {lv.id: extremes(lv)[0] for lv in load_canvas().levers}


def atlas_ids() -> set[str] | None:
    files = list(ATLAS.glob("*.yaml")) if ATLAS.is_dir() else []
    return {p.stem for p in files} if len(files) >= 40 else None  # see test_rule_files: checked once >= 40


def check_findings(design: Design, known_programs: set[str] | None) -> None:
    canvas = load_canvas()
    first = [f.model_dump() for f in findings_of(design)]
    second = [f.model_dump() for f in findings_of(design)]
    assert first == second, "the engine is not deterministic"
    assert classify_program(design) == classify_program(design)
    for f in first:
        assert f["severity"] in SEVERITIES
        assert f["levers"] and set(f["levers"]) <= set(canvas.by_id) and set(f["levers"]) <= set(design.levers)
        assert "{" not in f["message"] and "{" not in f["why"]
        for e in f["evidence"]:
            assert e["title"]
            if "href" in e:
                assert url_ok(e["href"])
            if "program" in e and known_programs is not None:
                assert e["program"] in known_programs, e["program"]
        move = f["move"]
        if move is not None:
            lever = canvas.by_id[move["lever"]]
            if lever.kind == "ordinal":
                assert move["to"] in lever.position_ids
            else:
                assert isinstance(move["to"], (int, float)) and move["to"] > 0
                if not lever.money:
                    assert lever.min is not None and lever.max is not None
                    assert lever.min <= move["to"] <= lever.max


@pytest.mark.parametrize("rule", load_rules(), ids=lambda r: r.id)
def test_extreme_combinations(rule: Any) -> None:
    canvas = load_canvas()
    read = [lv for lv in canvas.levers if lv.id in rule.reads_levers()]
    known = atlas_ids()
    count = 0
    for combo in itertools.product(*(extremes(lv) for lv in read)):
        setting = {lv.id: v for lv, v in zip(read, combo, strict=True)}
        for ctx in CONTEXTS:
            for others in ({}, first_positions()):
                levers = {**others, **setting}
                # Design directly (not parse_design): extremes of a money lever are EUR-range values,
                # valid for any currency here because the engine must cope with whatever it is given.
                design = Design(name="extreme", context=ctx, levers=levers)
                check_findings(design, known)
                count += 1
    assert count == 2 ** len(read) * len(CONTEXTS) * 2
