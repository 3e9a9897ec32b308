import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterlevers import load_canvas, parse_design
from clusterlevers.domain.errors import InputError
from clusterlevers.domain.urlstate import CONTEXT_KEYS, RESERVED, design_to_query, query_to_design

CANVAS = load_canvas()


def test_short_keys_never_collide():
    codes = {lv.code for lv in CANVAS.levers}
    assert not codes & set(CONTEXT_KEYS)
    assert not codes & RESERVED and not set(CONTEXT_KEYS) & RESERVED


def _val(lv):
    if lv.kind == "ordinal":
        return st.sampled_from(lv.position_ids)
    if lv.integer:
        return st.integers(int(lv.min), int(lv.max))
    return st.floats(lv.min, lv.max, allow_nan=False).map(lambda x: round(x, 3)).filter(lambda x: lv.min <= x <= lv.max)


@st.composite
def designs(draw):
    ids = draw(st.lists(st.sampled_from([lv.id for lv in CANVAS.levers]), unique=True))
    levers = {i: draw(_val(CANVAS.lever(i))) for i in ids}
    ctx = {"currency": "EUR"}
    if draw(st.booleans()):
        ctx["country"] = draw(st.sampled_from(["NO", "CA", "DE", "FR"]))
    if draw(st.booleans()):
        ctx["continuity_safeguard"] = draw(st.booleans())
    name = draw(st.text(min_size=1, max_size=30).filter(lambda s: s.strip() == s and s))
    return parse_design({"name": name, "context": ctx, "levers": levers})


@settings(max_examples=150, deadline=None)
@given(designs())
def test_url_roundtrip(design):
    assert query_to_design(design_to_query(design)) == design


def test_only_decided_levers_in_the_url():
    d = parse_design({"name": "x", "levers": {"ambition_level": "build"}})
    q = design_to_query(d)
    assert {k for k in q if k not in ("v", "n", "cu")} == {"am"}


def test_versions():
    with pytest.raises(InputError, match="newer clusterlevers"):
        query_to_design({"v": "2", "am": "build"})
    with pytest.raises(InputError, match="no longer supported"):
        query_to_design({"v": "0", "am": "build"})
    with pytest.raises(InputError, match="not a URL format version"):
        query_to_design({"v": "x"})
