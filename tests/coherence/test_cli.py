"""``clusterlevers check``: JSON keys and the readable report."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from clusterlevers.cli.main import app

from .conftest import CANADA_LEVERS


def write_canada(tmp_path: Path) -> Path:
    import yaml

    path = tmp_path / "canada.yaml"
    path.write_text(yaml.safe_dump({"name": "Canada 2017", "context": {"currency": "CAD", "price_year": 2018,
                                    "state_structure": "federal"}, "levers": CANADA_LEVERS}))
    return path


def test_check_json_has_findings_and_program_type(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["check", str(write_canada(tmp_path)), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    pt = doc["program_type"]
    assert {"family", "label", "confidence", "evidence", "summary", "mixed"} <= set(pt)
    assert pt["family"] == "supercluster"
    assert doc["findings"]
    for f in doc["findings"]:
        assert {"id", "severity", "levers", "message", "why", "evidence", "suggestion", "move"} <= set(f)
    first = doc["findings"][0]
    assert first["severity"] == "critical" and first["id"] == "build-ambition-short-horizon"
    assert first["move"]["lever"] == "funding_horizon" and first["move"]["to"] == 10


def test_readable_check_groups_by_severity_and_shows_moves(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["check", str(write_canada(tmp_path))], terminal_width=200)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.index("CRITICAL") < out.index("WARNING") < out.index("INFO")
    assert "[build-ambition-short-horizon;" in out  # rule ids survive rich markup
    assert "suggested move: Funding horizon: 10 years (now 5)" in out
    assert "program type: Supercluster program" in out
