"""Distance properties (hypothesis), determinism, self-exclusion, unknown handling, sensible neighbours."""

import json

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterlevers import load_design
from clusterlevers.domain.atlas.loader import load_atlas
from clusterlevers.domain.atlas.similarity import (
    AtlasMatrix,
    compare_design,
    compare_program,
    distances_to,
    nearest,
    shipped_matrix,
)
from tests.conftest import EXAMPLES

L = 16
W = shipped_matrix().weights
unit_vectors = st.lists(st.floats(0, 1, allow_nan=False), min_size=L, max_size=L).map(np.array)
partial_vectors = st.lists(st.one_of(st.none(), st.floats(0, 1, allow_nan=False)), min_size=L, max_size=L).map(
    lambda xs: np.array([np.nan if x is None else x for x in xs]))


def d(u, v, atlas_rows=None):
    rows = [v] if atlas_rows is None else atlas_rows
    m = AtlasMatrix(ids=[str(i) for i in range(len(rows))], programs=[], units=np.vstack(rows), weights=W)
    return distances_to(u, m)


@settings(max_examples=200, deadline=None)
@given(unit_vectors, unit_vectors, unit_vectors)
def test_metric_on_fully_known_codings(a, b, c):
    dab = d(a, b)[0][0]
    dba = d(b, a)[0][0]
    assert abs(dab - dba) < 1e-12                      # symmetry
    assert d(a, a)[0][0] == 0                          # identity
    assert 0 <= dab <= 1                               # bounds
    assert dab <= d(a, c)[0][0] + d(c, b)[0][0] + 1e-9  # triangle inequality (weighted L1)


@settings(max_examples=200, deadline=None)
@given(partial_vectors, partial_vectors)
def test_bounds_and_share_with_unknowns(a, b):
    dist, contrib, share = d(a, b)
    if np.isnan(a).all():
        assert np.isnan(dist[0])
        return
    assert 0 <= dist[0] <= 1 and 0 <= share[0] <= 1
    assert abs(contrib[0].sum() - dist[0]) < 1e-9
    assert np.all(contrib[0][np.isnan(a)] == 0)  # undecided levers of the query contribute nothing


def test_unknown_is_expected_distance_not_zero():
    # query at 1.0 on lever 0; program A unknown on lever 0, B and C known at 0.0 -> A gets the
    # expected distance (1.0), not 0, and its compared share is below 1
    q = np.full(L, np.nan)
    q[0], q[1] = 1.0, 0.5
    a = np.full(L, 0.5)
    a[0] = np.nan
    b = np.full(L, 0.5)
    b[0] = 0.0
    dist, contrib, share = d(q, None, atlas_rows=[a, b, b])
    assert contrib[0][0] > 0.3 and share[0] < 1.0 and share[1] == 1.0
    assert abs(dist[0] - dist[1]) < 1e-12  # expected distance equals what the known programs show


def test_deterministic_and_self_excluded():
    atlas = load_atlas()
    for prog in atlas.values():
        got = compare_program(prog, top=5)
        assert prog.id not in [n.program for n in got]
        assert got == compare_program(prog, top=5)
        assert [n.distance for n in got] == sorted(n.distance for n in got)


def test_canada_example_neighbours_are_sensible():
    d0 = load_design(EXAMPLES / "canada-isi-2017.yaml")
    nb = compare_design(d0, top=5)
    ids = [n.program for n in nb]
    assert ids[0] == "ca-isi-2017" and nb[0].distance < 0.05   # its own atlas record
    assert "ca-gic-2022" in ids[:3]                              # its successor
    nb2 = compare_design(d0, top=5, exclude={"ca-isi-2017", "ca-gic-2022"})
    assert "us-nsf-engines-2023" in [n.program for n in nb2]     # the other flagship competition
    for n in nb:
        for diff in n.differences:
            assert diff.lever in d0.levers


def test_compare_cli_json(cli):
    r = cli("compare", str(EXAMPLES / "canada-isi-2017.yaml"), "--top", "3", "--json")
    data = json.loads(r.out)
    assert r.code == 0 and len(data["neighbours"]) == 3
    n = data["neighbours"][0]
    assert {"program", "name", "country", "distance", "differences"} <= set(n)
    r = cli("compare", "ca-isi-2017", "--json")
    assert "ca-isi-2017" not in [n["program"] for n in json.loads(r.out)["neighbours"]]


def test_blank_design_has_no_neighbours():
    assert nearest({}, "EUR", 2024) == []
