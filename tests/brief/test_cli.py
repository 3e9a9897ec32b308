"""``clusterlevers brief``: writes the file; bad designs fail exactly like ``check``."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli

from .conftest import BAD, EXAMPLES

BAD_FILES = sorted(p for p in BAD.iterdir() if p.is_file())


def test_brief_writes_html_and_reports_json(tmp_path):
    out = tmp_path / "brief.html"
    r = run_cli("brief", str(EXAMPLES / "canada-isi-2017.yaml"), str(EXAMPLES / "norway-nic-2014.yaml"),
                "-o", str(out), "--json")
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    assert doc["format"] == "html" and doc["path"] == str(out)
    assert len(doc["designs"]) == 2
    assert "2 designs side by side" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("bad", BAD_FILES[:6], ids=lambda p: p.name)
def test_bad_design_fails_like_check(tmp_path, bad):
    out = tmp_path / "brief.pdf"
    check = run_cli("check", str(bad))
    r = run_cli("brief", str(bad), "-o", str(out))
    assert check.code == 2 and r.code == 2
    assert r.err == check.err and r.err.strip()
    assert r.out == ""
    assert "Traceback" not in r.err
    assert not out.exists()


def test_problems_of_every_file_and_the_output_at_once(tmp_path):
    bad = [p for p in BAD_FILES if p.suffix == ".yaml"][:2]
    r = run_cli("brief", *(str(p) for p in bad), "-o", str(tmp_path / "brief.docx"))
    assert r.code == 2
    lines = r.err.strip().splitlines()
    for p in bad:
        assert any(line.startswith(str(p)) for line in lines), p
    assert any("brief.docx" in line and ".pdf, .html or .png" in line for line in lines)


def test_more_than_four_designs_is_refused(tmp_path):
    d = str(EXAMPLES / "canada-isi-2017.yaml")
    r = run_cli("brief", d, d, d, d, d, "-o", str(tmp_path / "b.html"))
    assert r.code == 2 and "two to four" in r.err and len(r.err.strip().splitlines()) == 1
