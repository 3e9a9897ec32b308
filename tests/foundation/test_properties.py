"""Property tests: any design generated from the lever specs round-trips and never crashes `check`."""

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterlevers import load_canvas, parse_design
from clusterlevers.domain.check import check

CANVAS = load_canvas()


def _value(lever):
    if lever.kind == "ordinal":
        return st.sampled_from(lever.position_ids)
    lo, hi = lever.min, lever.max
    if lever.money:  # ranges are in EUR; the generated designs are in EUR
        lo, hi = lever.min, lever.max
    if lever.integer:
        return st.integers(int(lo), int(hi))
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 4)).filter(
        lambda x: lo <= x <= hi)


@st.composite
def designs(draw):
    chosen = draw(st.lists(st.sampled_from([lv.id for lv in CANVAS.levers]), unique=True))
    levers = {lid: draw(_value(CANVAS.lever(lid))) for lid in chosen}
    name = draw(st.text(min_size=1, max_size=40).filter(lambda s: s.strip() and s == s.strip()))
    context = {"currency": "EUR"}
    if draw(st.booleans()):
        context["budget_envelope"] = draw(st.floats(1, 10_000).map(lambda x: round(x, 2)))
    if draw(st.booleans()):
        context["starting_point"] = draw(st.sampled_from(["start", "grow", "upgrade", "develop", "reinvent"]))
    return {"name": name, "context": context, "levers": levers}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(designs())
def test_yaml_roundtrip_and_check_never_crashes(data):
    d = parse_design(data)
    text = yaml.safe_dump(d.to_document(), sort_keys=False, allow_unicode=True)
    again = parse_design(yaml.safe_load(text))
    assert again == d
    assert yaml.safe_dump(again.to_document(), sort_keys=False, allow_unicode=True) == text
    result = check(d)
    assert set(result["undecided"]) == {lv.id for lv in CANVAS.levers} - set(d.levers)
