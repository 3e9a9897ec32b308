import json

from clusterlevers import levers, load_canvas

DESIGN_LEVERS = {
    "ambition_level": ["network_support", "grow", "transform", "build"],
    "thematic_targeting": ["open", "guided", "designated", "mission"],
    "spatial_logic": ["excellence", "merit_with_spread", "balanced_coverage", "lagging_priority"],
    "maturity_focus": ["emerging", "growth", "world_class", "tiered_ladder"],
    "portfolio_size": None,
    "cluster_reach": ["local", "regional", "national", "global_network"],
    "selection_mechanism": ["designation", "accreditation", "competitive_call", "staged_competition"],
    "funding_intensity": None,
    "funding_horizon": None,
    "funding_uses": ["management", "services", "projects", "assets"],
    "private_match": None,
    "revenue_transition": ["permanent_core", "capped_share", "tapering", "sunset"],
    "cluster_org_model": ["agency_run", "ppp_association", "independent_industry_led", "delegated_funder"],
    "stakeholder_architecture": ["industry_club", "triple_helix", "pentagon", "open_ecosystem"],
    "programme_governance": ["single_agency", "multi_agency_national", "multi_level", "whole_of_government"],
    "accountability_model": ["reporting", "kpi_benchmarking", "periodic_evaluation", "milestone_gated"],
}


def test_sixteen_levers_in_design_order_with_the_public_positions():
    lv = levers()
    assert [x.id for x in lv] == list(DESIGN_LEVERS)
    for x in lv:
        if DESIGN_LEVERS[x.id] is None:
            assert x.kind == "numeric"
        else:
            assert x.kind == "ordinal" and x.position_ids == DESIGN_LEVERS[x.id]


def test_four_areas_each_with_its_levers():
    canvas = load_canvas()
    assert [a.id for a in canvas.areas] == ["purpose_direction", "portfolio_selection", "funding_finance",
                                            "governance_accountability"]
    assert [len(canvas.levers_in(a.id)) for a in canvas.areas] == [4, 3, 5, 4]


def test_codes_unique_and_every_lever_documented():
    lv = levers()
    assert len({x.code for x in lv}) == 16
    for x in lv:
        assert x.definition.endswith(".") and len(x.definition) > 40
        assert x.references and all(r.href.startswith("http") for r in x.references)
        if x.kind == "ordinal":
            assert all(p.label and p.meaning for p in x.positions)


def test_numeric_levers_ranges_and_scales():
    by = {x.id: x for x in levers()}
    assert (by["portfolio_size"].min, by["portfolio_size"].max, by["portfolio_size"].scale) == (1, 150, "log")
    assert (by["funding_horizon"].min, by["funding_horizon"].max) == (1, 20)
    assert (by["private_match"].min, by["private_match"].max) == (0, 75)
    assert by["funding_intensity"].scale == "log" and by["funding_intensity"].money
    assert by["funding_uses"].cumulative
    assert by["portfolio_size"].band(5).id == "flagship" and by["portfolio_size"].band(6).id == "focused"
    assert by["portfolio_size"].band(150).id == "registry"
    # log scale: the geometric midpoint maps to the middle
    import math
    fi = by["funding_intensity"]
    assert abs(fi.unit_interval(math.sqrt(fi.min * fi.max)) - 0.5) < 1e-9


def test_levers_json_has_public_keys(cli):
    r = cli("levers", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert len(data) == 16
    for item in data:
        assert {"id", "code", "name", "area", "kind", "stops"} <= set(item)
        if item["kind"] == "numeric":
            assert {"min", "max", "unit"} <= set(item)


def test_levers_readable_table_groups_by_area(cli):
    r = cli("levers")
    assert r.code == 0
    for area in ("Purpose & direction", "Portfolio & selection", "Funding & financial model",
                 "Governance & accountability"):
        assert area in r.out
