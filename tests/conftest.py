from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: int = 120) -> Result:
    """Run the real command line in a subprocess (exit codes and streams exactly as a user sees them)."""
    e = dict(os.environ)
    e.pop("CLUSTERLEVERS_DEBUG", None)
    e.update(env or {})
    p = subprocess.run([sys.executable, "-m", "clusterlevers", *args], capture_output=True, text=True,
                       cwd=cwd or ROOT, env=e, timeout=timeout)
    return Result(p.returncode, p.stdout, p.stderr)


@pytest.fixture
def cli():
    return run_cli
