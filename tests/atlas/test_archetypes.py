import json

import numpy as np

from clusterlevers.domain.atlas.archetypes import compute_archetypes, pam, shipped_archetypes
from clusterlevers.domain.atlas.loader import load_atlas
from clusterlevers.domain.atlas.similarity import build_matrix


def test_every_program_in_exactly_one_archetype():
    arcs = shipped_archetypes()
    seen = [p for a in arcs for p in a.members + a.tentative]
    assert sorted(seen) == sorted(load_atlas())
    assert len({a.id for a in arcs}) == len(arcs) and len({a.name for a in arcs}) == len(arcs)
    for a in arcs:
        assert a.medoid in a.members
        assert 0.0 <= a.stability <= 1.0
        assert a.levers["ambition_level"]["of"] == len(a.members)


def test_deterministic():
    m = build_matrix(load_atlas())
    assert compute_archetypes(m) == compute_archetypes(m)


def test_recognisable_models():
    by_member = {p: a.id for a in shipped_archetypes() for p in a.members + a.tentative}
    # flagship competitions group Canada with other big staged competitions, not with network support
    assert by_member["ca-isi-2017"] == by_member["us-nsf-engines-2023"]
    assert by_member["ca-isi-2017"] != by_member["es-aei"]
    # the French poles stay together across phases
    assert len({by_member[f"fr-poles-phase{i}-{y}"] for i, y in ((1, 2005), (2, 2009), (3, 2013))}) == 1


def test_pam_finds_planted_groups():
    rng = np.random.default_rng(0)
    pts = np.vstack([rng.normal(c, 0.05, size=(10, 2)) for c in ((0, 0), (1, 1), (0, 1))])
    D = np.abs(pts[:, None, :] - pts[None, :, :]).sum(-1)
    _, labels = pam(D, 3)
    assert all(len(set(labels[i * 10:(i + 1) * 10])) == 1 for i in range(3))
    assert len(set(labels)) == 3


def test_archetypes_cli(cli, tmp_path):
    svg = tmp_path / "map.svg"
    r = cli("archetypes", "--json", "--svg", str(svg))
    data = json.loads(r.out)
    assert r.code == 0 and {"id", "name", "medoid", "members", "levers", "stability"} <= set(data["archetypes"][0])
    text = svg.read_text()
    assert text.startswith("<svg") and "http://www.w3.org/2000/svg" in text and "<script" not in text
