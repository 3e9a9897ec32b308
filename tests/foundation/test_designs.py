import json

import pytest
import yaml

from clusterlevers import Design, InputError, derive, load_design, parse_design
from tests.conftest import EXAMPLES


def test_examples_exist_and_load():
    names = {p.name for p in EXAMPLES.glob("*.yaml")}
    assert {"canada-isi-2017.yaml", "norway-nic-2014.yaml", "blank.yaml"} <= names
    for p in EXAMPLES.glob("*.yaml"):
        assert isinstance(load_design(p), Design)


def test_canada_budget_identity():
    d = load_design(EXAMPLES / "canada-isi-2017.yaml")
    der = derive(d)
    # 5 superclusters x CAD 38M per cluster-year x 5 years = CAD 950M; 1:1 match doubles the resources
    assert der.total_public_budget_m == pytest.approx(950.0)
    assert der.total_resources_m == pytest.approx(1900.0)
    assert der.currency == "CAD"
    assert der.undecided == ["revenue_transition"]
    assert der.eur and "ECB annual average rate of 2018" in der.eur["note"]
    assert 550 < der.eur["total_public_budget_m"] < 700


def test_every_example_lever_has_a_comment_saying_where_it_comes_from():
    for name in ("canada-isi-2017.yaml", "norway-nic-2014.yaml"):
        text = (EXAMPLES / name).read_text()
        d = load_design(EXAMPLES / name)
        for lever in d.levers:
            line = next(ln for ln in text.splitlines() if ln.strip().startswith(f"{lever}:"))
            assert "#" in line and len(line.split("#", 1)[1].strip()) > 10, (name, lever)


def test_blank_canvas_everything_undecided():
    d = load_design(EXAMPLES / "blank.yaml")
    der = derive(d)
    assert len(der.undecided) == 16
    assert der.total_public_budget_m is None
    assert set(der.missing) == {"portfolio_size", "funding_intensity", "funding_horizon", "private_match"}


def test_not_decided_spellings_mean_unset():
    d = parse_design({"name": "x", "levers": {"ambition_level": None, "cluster_reach": "not_decided"}})
    assert d.levers == {}


def test_overhead_adds_to_budget():
    d = parse_design({"name": "x", "context": {"currency": "EUR", "overhead_pct": 10},
                      "levers": {"portfolio_size": 10, "funding_intensity": 2, "funding_horizon": 5}})
    assert derive(d).total_public_budget_m == pytest.approx(110.0)


def test_json_and_yaml_give_the_same_design(tmp_path):
    d = load_design(EXAMPLES / "norway-nic-2014.yaml")
    p = tmp_path / "n.json"
    p.write_text(json.dumps(d.to_document()))
    assert load_design(p) == d


def test_all_problems_reported_together():
    with pytest.raises(InputError) as exc:
        parse_design({"name": "", "levers": {"ambition_levle": "grow", "portfolio_size": 0, "cluster_reach": "x"}})
    fields = {p.field for p in exc.value.problems}
    assert {"name", "levers.ambition_levle", "levers.portfolio_size", "levers.cluster_reach"} <= fields


def test_money_range_checked_in_eur():
    # 30,000 JPY million per cluster-year is about EUR 200 million: above the 100 EUR m top of the range
    with pytest.raises(InputError) as exc:
        parse_design({"name": "x", "context": {"currency": "JPY", "price_year": 2020},
                      "levers": {"funding_intensity": 30000}})
    assert "outside" in str(exc.value) and "EUR" in str(exc.value)
    ok = parse_design({"name": "x", "context": {"currency": "JPY", "price_year": 2020},
                       "levers": {"funding_intensity": 500}})
    assert ok.levers["funding_intensity"] == 500


def test_ordinal_rejects_numbers_and_numeric_rejects_bools():
    with pytest.raises(InputError):
        parse_design({"name": "x", "levers": {"ambition_level": 3}})
    with pytest.raises(InputError):
        parse_design({"name": "x", "levers": {"funding_horizon": True}})


def test_roundtrip_example_yaml():
    d = load_design(EXAMPLES / "canada-isi-2017.yaml")
    again = parse_design(yaml.safe_dump(d.to_document(), sort_keys=False))
    assert again == d
