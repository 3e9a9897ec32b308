"""The glossary."""

from __future__ import annotations

from clusterlevers.domain.canvas import load_canvas
from clusterlevers.domain.coherence import glossary
from clusterlevers.domain.coherence.rules import url_ok


def test_core_terms_and_every_lever_are_defined_with_sources() -> None:
    entries = glossary()
    terms = {e["term"] for e in entries}
    assert {"cluster", "cluster initiative", "cluster organisation", "supercluster", "nation-shaping program"} <= terms
    assert {e["lever"] for e in entries if e["lever"]} == {lv.id for lv in load_canvas().levers}
    for e in entries:
        assert e["references"] and all(url_ok(r["href"]) for r in e["references"])
        assert len(e["definition"]) > 40
    assert [e["term"] for e in entries] == sorted(terms, key=str.lower)


def test_lookup_is_case_insensitive() -> None:
    assert glossary("Triple Helix")[0]["term"] == "triple helix"
    assert glossary("no such term") == []
