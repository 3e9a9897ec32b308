"""Every malformed design gives exit code 2, one line per problem naming file, line and field, nothing on stdout."""

import re

import pytest

from tests.conftest import FIXTURES

BAD = FIXTURES / "designs" / "bad"

# fixture -> (expected line or None, expected field or None, fragment of the message)
CASES = {
    "unknown_lever.yaml": (3, "levers.ambition_levl", "unknown lever (did you mean 'ambition_level'?)"),
    "bad_position.yaml": (4, "levers.cluster_reach", "'continental' is not a position of cluster_reach"),
    "out_of_range.yaml": (3, "levers.portfolio_size", "400 is outside the range 1-150"),
    "wrong_type.yaml": (3, "levers.funding_horizon", "expected a number"),
    "money_without_currency.yaml": (4, "levers.funding_intensity", "money without a currency"),
    "budget_without_currency.yaml": (3, "context.budget_envelope", "money without a currency"),
    "malformed.yaml": (4, None, "malformed YAML"),
    "duplicate_keys.yaml": (5, "levers.portfolio_size", "duplicate key"),
    "alias_bomb.yaml": (3, None, "aliases"),
    "not_utf8.yaml": (3, None, "not valid UTF-8"),
    "malformed.json": (1, None, "malformed JSON"),
    "duplicate_keys.json": (5, "portfolio_size", "duplicate key"),
    "bad_context.yaml": (3, "context.country", "not an ISO 3166-1 alpha-2 country code"),
    "not_a_mapping.yaml": (1, None, "expected a mapping"),
}


def _check(r, path, line, field, fragment):
    assert r.code == 2, (r.code, r.err)
    assert r.out == ""
    assert "Traceback" not in r.err
    lines = r.err.strip().splitlines()
    assert lines, "no error printed"
    hit = [ln for ln in lines if fragment in ln]
    assert hit, f"{fragment!r} not in {lines}"
    ln = hit[0]
    assert ln.startswith(str(path)), ln
    if line is not None:
        assert re.match(rf"^{re.escape(str(path))}:{line}: ", ln), ln
    if field is not None:
        assert f": {field}: " in ln, ln


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_design_fixture(cli, name):
    line, field, fragment = CASES[name]
    path = BAD / name
    r = cli("check", str(path))
    _check(r, path, line, field, fragment)
    # the JSON mode fails the same way, with nothing on stdout
    r2 = cli("check", str(path), "--json")
    assert r2.code == 2 and r2.out == "" and r2.err == r.err


def test_every_fixture_has_a_case():
    files = {p.name for p in BAD.iterdir() if p.is_file()}
    assert files == set(CASES)


def test_bad_context_reports_every_problem(cli):
    r = cli("check", str(BAD / "bad_context.yaml"))
    assert "context.starting_point" in r.err and "context.country" in r.err
    assert len(r.err.strip().splitlines()) == 2


def test_file_over_one_megabyte(cli, tmp_path):
    # generated rather than committed: a 1 MB fixture would only bloat the repository
    big = tmp_path / "big.yaml"
    big.write_text("name: big\n" + "# padding\n" * 110_000)
    r = cli("check", str(big))
    _check(r, big, None, None, "over the 1,000,000-byte limit")


def test_missing_file(cli, tmp_path):
    p = tmp_path / "nope.yaml"
    r = cli("check", str(p))
    _check(r, p, None, None, "file not found")


def test_directory(cli):
    p = BAD / "a_directory"
    r = cli("check", str(p))
    _check(r, p, None, None, "is a directory")


def test_no_traceback_on_internal_error_either(cli, tmp_path):
    r = cli("atlas", "show", "no-such-program")
    assert r.code == 2 and "no program" in r.err and "Traceback" not in r.err
