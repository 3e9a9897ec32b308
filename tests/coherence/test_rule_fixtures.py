"""Every rule has a design that fires it and a near-miss design that does not."""

from __future__ import annotations

from typing import Any

import pytest

from clusterlevers.domain.coherence import load_rules
from clusterlevers.domain.design import load_design

from .conftest import FIXTURES, findings_of, ids_of

RULE_IDS = [r.id for r in load_rules()]


def test_every_rule_has_both_fixtures_and_every_fixture_a_rule() -> None:
    dirs = {p.name for p in FIXTURES.iterdir() if p.is_dir() and not p.name.startswith("_")}
    assert dirs == set(RULE_IDS)
    for rid in RULE_IDS:
        assert (FIXTURES / rid / "fires.yaml").is_file(), rid
        assert (FIXTURES / rid / "quiet.yaml").is_file(), rid


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_fires(rule_id: str) -> None:
    design = load_design(FIXTURES / rule_id / "fires.yaml")
    found = [f for f in findings_of(design) if f.id == rule_id]
    assert len(found) == 1, f"{rule_id} did not fire on its fires.yaml"
    f = found[0]
    assert f.message and "{" not in f.message and "not set" not in f.message
    assert "{" not in f.why
    assert f.levers, "a finding names the levers behind it"
    assert set(f.levers) <= set(design.levers)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_quiet(rule_id: str) -> None:
    design = load_design(FIXTURES / rule_id / "quiet.yaml")
    assert rule_id not in ids_of(design)


def _finding(rule_id: str) -> tuple[Any, Any]:
    design = load_design(FIXTURES / rule_id / "fires.yaml")
    return design, next(f for f in findings_of(design) if f.id == rule_id)


# rules whose remedy lies outside the levers (e.g. a continuity safeguard) suggest no one-click move
MOVE_RULES = [r for r in RULE_IDS if _finding(r)[1].move is not None]


def test_most_rules_offer_a_move() -> None:
    assert len(MOVE_RULES) >= len(RULE_IDS) - 6


@pytest.mark.parametrize("rule_id", MOVE_RULES)
def test_suggested_move_eases_the_tension(rule_id: str) -> None:
    """Applying a finding's one-click move to the firing design makes that rule fall silent."""
    design, finding = _finding(rule_id)
    move = finding.move
    assert move["from"] == design.levers[move["lever"]]
    moved = design.model_copy(update={"levers": {**design.levers, move["lever"]: move["to"]}})
    assert rule_id not in ids_of(moved)


def test_a_rule_is_not_evaluated_while_one_of_its_levers_is_undecided() -> None:
    for rule in load_rules():
        design = load_design(FIXTURES / rule.id / "fires.yaml")
        for lever in rule.levers:
            partial = design.model_copy(update={"levers": {k: v for k, v in design.levers.items() if k != lever}})
            assert rule.id not in ids_of(partial), f"{rule.id} fired with {lever} undecided"
