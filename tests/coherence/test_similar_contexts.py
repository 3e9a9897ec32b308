"""'No single best practice': how programs in similar contexts chose, as information."""

import json

import pytest

from clusterlevers import parse_design
from clusterlevers.domain.atlas.loader import load_atlas
from clusterlevers.domain.check import check
from clusterlevers.domain.contexts import countries, similar_contexts


def test_every_atlas_country_has_sourced_context():
    rows = countries()
    for p in load_atlas().values():
        assert p.country in rows, p.country
    for code, row in rows.items():
        for key in ("population", "gdp_per_capita", "rd_intensity_pct", "state_structure"):
            cell = row[key]
            if cell["value"] is not None:
                assert cell["source"].startswith("http") and cell["confidence"] in ("high", "medium", "low"), code


def test_no_context_no_comparison():
    assert similar_contexts(parse_design({"name": "x", "levers": {"ambition_level": "grow"}})) is None


def test_same_country_programs_come_first_and_positions_are_counted():
    d = parse_design({"name": "x", "context": {"country": "NO"}, "levers": {}})
    sim = similar_contexts(d, k=6)
    assert [p["country"] for p in sim["programs"][:3]] == ["NO", "NO", "NO"]
    assert sim["programs"][0]["context_distance"] == 0
    entry = sim["levers"]["maturity_focus"]
    counted = sum(len(v) for v in entry["positions"].values()) + len(entry["unknown"])
    assert counted == sim["k"] == 6
    assert "Norwegian Innovation Clusters" in entry["positions"]["tiered_ladder"]


def test_stated_context_overrides_the_country_row():
    small = parse_design({"name": "x", "context": {"country": "US", "population": 600_000,
                                                   "state_structure": "unitary"}})
    big = parse_design({"name": "x", "context": {"country": "US"}})
    assert similar_contexts(small)["programs"] != similar_contexts(big)["programs"]
    only_stats = parse_design({"name": "x", "context": {"population": 5_500_000, "rd_intensity": 3.0,
                                                        "state_structure": "unitary"}})
    sim = similar_contexts(only_stats)
    assert sim["based_on"] == ["log_population", "rd_intensity_pct", "federal"]
    assert all(p["country"] != "US" for p in sim["programs"])


@pytest.mark.parametrize("country", ["CA", "DE", "JP", "CL"])
def test_deterministic_and_independent_of_levers(country):
    a = parse_design({"name": "x", "context": {"country": country}, "levers": {"ambition_level": "build"}})
    b = parse_design({"name": "x", "context": {"country": country}, "levers": {"portfolio_size": 40}})
    assert similar_contexts(a) == similar_contexts(b) == similar_contexts(a)


def test_check_json_and_readable(cli):
    from tests.conftest import EXAMPLES

    r = cli("check", str(EXAMPLES / "canada-isi-2017.yaml"), "--json")
    sim = json.loads(r.out)["similar_contexts"]
    assert sim["programs"][0]["country"] == "CA" and "information, not a verdict" in sim["note"]
    r = cli("check", str(EXAMPLES / "canada-isi-2017.yaml"))
    assert "Programs in similar contexts" in r.out
    assert check(parse_design({"name": "x"}))["similar_contexts"] is None
