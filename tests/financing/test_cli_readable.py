"""The readable (non-JSON) output of simulate for every option combination a newcomer runs."""

import pytest

from tests.conftest import EXAMPLES

CASES = [
    ["simulate", str(EXAMPLES / "canada-isi-2017.yaml"), "--draws", "200", "--years", "12"],
    ["simulate", str(EXAMPLES / "ten-year-taper.yaml"), "--draws", "200", "--compare",
     str(EXAMPLES / "canada-isi-2017.yaml")],
    ["simulate", str(EXAMPLES / "ten-year-taper.yaml"), "--draws", "200", "--compare",
     str(EXAMPLES / "canada-isi-2017.yaml"), "--equal-public-money"],
]


@pytest.mark.parametrize("args", CASES, ids=["plain", "compare", "compare-equal-money"])
def test_readable_output(cli, args):
    r = cli(*args)
    assert r.code == 0, r.err
    assert "self-sustaining" in r.out and "Traceback" not in r.err
