import json

from tests.conftest import EXAMPLES


def test_check_every_example_json(cli):
    for p in sorted(EXAMPLES.glob("*.yaml")):
        r = cli("check", str(p), "--json")
        assert r.code == 0, (p, r.err)
        data = json.loads(r.out)
        assert {"design", "derived", "program_type", "findings"} <= set(data)
        assert {"total_public_budget_m", "total_resources_m", "currency"} <= set(data["derived"])
        assert {"family", "evidence"} <= set(data["program_type"])
        for f in data["findings"]:
            assert {"id", "severity", "levers", "message", "why", "evidence", "suggestion"} <= set(f)


def test_check_readable(cli):
    r = cli("check", str(EXAMPLES / "canada-isi-2017.yaml"))
    assert r.code == 0, r.err
    assert "Canada Innovation Superclusters Initiative (2017)" in r.out
    assert "950.0 million CAD" in r.out
    assert "1,900.0 million CAD" in r.out
    assert "revenue_transition" in r.out  # the one undecided lever


def test_help_and_version(cli):
    r = cli("--help")
    assert r.code == 0 and "check" in r.out and "levers" in r.out
    r = cli("--version")
    assert r.code == 0 and r.out.startswith("clusterlevers ")
