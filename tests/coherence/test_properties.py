"""Property tests: findings do not depend on key order or on levers a rule does not read."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterlevers.domain.canvas import Lever, load_canvas
from clusterlevers.domain.coherence import load_rules
from clusterlevers.domain.design import Design

from .conftest import findings_of

CANVAS = load_canvas()
RULES = load_rules()


def value_of(lever: Lever) -> st.SearchStrategy[Any]:
    if lever.kind == "ordinal":
        return st.sampled_from(lever.position_ids)
    assert lever.min is not None and lever.max is not None
    if lever.integer:
        return st.integers(int(lever.min), int(lever.max))
    return st.floats(lever.min, lever.max, allow_nan=False)


@st.composite
def designs(draw: st.DrawFn) -> Design:
    levers = {}
    for lever in CANVAS.levers:
        if draw(st.booleans()):
            levers[lever.id] = draw(value_of(lever))
    context: dict[str, Any] = {"currency": draw(st.sampled_from(["EUR", "NOK", "CAD", "USD"])),
                               "price_year": draw(st.integers(2000, 2026))}
    optional = {"budget_envelope": st.floats(1, 5000), "population": st.floats(1e5, 5e8),
                "state_structure": st.sampled_from(["federal", "unitary"]), "political_cycle": st.integers(1, 10),
                "continuity_safeguard": st.booleans(),
                "starting_point": st.sampled_from(["start", "grow", "upgrade", "develop", "reinvent"])}
    for key, strat in optional.items():
        if draw(st.booleans()):
            context[key] = draw(strat)
    return Design(name="random", context=context, levers=levers)


def dumps(design: Design) -> list[dict[str, Any]]:
    return [f.model_dump() for f in findings_of(design)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(designs(), st.randoms(use_true_random=False))
def test_key_order_does_not_matter(design: Design, rnd: random.Random) -> None:
    keys = list(design.levers)
    rnd.shuffle(keys)
    ctx = design.context.model_dump(exclude_none=True)
    ckeys = list(ctx)
    rnd.shuffle(ckeys)
    shuffled = Design(name=design.name, context={k: ctx[k] for k in ckeys},
                      levers={k: design.levers[k] for k in keys})
    assert dumps(shuffled) == dumps(design)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(designs(), st.data())
def test_unrelated_levers_do_not_change_a_rule(design: Design, data: st.DataObject) -> None:
    rule = data.draw(st.sampled_from(RULES))
    unrelated = [lv for lv in CANVAS.levers if lv.id not in rule.reads_levers()]
    lever = data.draw(st.sampled_from(unrelated))
    if data.draw(st.booleans()):
        levers = {k: v for k, v in design.levers.items() if k != lever.id}
    else:
        levers = {**design.levers, lever.id: data.draw(value_of(lever))}
    changed = design.model_copy(update={"levers": levers})
    before = [f for f in dumps(design) if f["id"] == rule.id]
    after = [f for f in dumps(changed) if f["id"] == rule.id]
    assert before == after
