"""Shared helpers for the storage tests: run worker processes, check a database's consistency."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from clusterlevers.storage.engine import normalise_url

ROOT = Path(__file__).resolve().parents[2]


def spawn(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    return subprocess.Popen([sys.executable, "-m", "tests.storage.workers", *args], cwd=ROOT, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def read_event(proc: subprocess.Popen[str]) -> dict[str, Any]:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        err = proc.stderr.read() if proc.stderr else ""
        raise AssertionError(f"worker ended early (exit {proc.wait()}): {err[-3000:]}")
    return json.loads(line)


def run_together(workers: list[list[str]], timeout: float = 60) -> list[list[dict[str, Any]]]:
    """Start the workers, wait until all are ready, release them at once, return each one's events."""
    procs = [spawn(*w) for w in workers]
    try:
        for p in procs:
            assert read_event(p)["event"] == "ready"
        for p in procs:
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        results = []
        for p in procs:
            out, err = p.communicate(timeout=timeout)
            assert p.returncode == 0, f"worker failed (exit {p.returncode}): {err[-3000:]}"
            assert "Traceback" not in err, err[-3000:]
            results.append([json.loads(line) for line in out.splitlines() if line.strip()])
        return results
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()


def check_consistency(url: str) -> dict[str, list[int]]:
    """Assert the database is consistent; return scenario id -> sorted versions.

    SQLite: ``PRAGMA integrity_check`` is ok and no foreign key is dangling. Both backends: every
    scenario has versions exactly 1..latest, every version belongs to a scenario, every design is JSON.
    """
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalars().all() == ["ok"]
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            scenario_ids = set(conn.execute(text("SELECT id FROM scenarios")).scalars())
            versions: dict[str, list[int]] = {sid: [] for sid in scenario_ids}
            for sid, version, design_json in conn.execute(
                    text("SELECT scenario_id, version, design_json FROM scenario_versions")):
                assert sid in versions, f"version row of unknown scenario {sid}"
                assert isinstance(json.loads(design_json), dict)
                versions[sid].append(version)
        for sid, vs in versions.items():
            vs.sort()
            assert vs == list(range(1, len(vs) + 1)), f"scenario {sid}: versions {vs} are not 1..{len(vs)}"
        return versions
    finally:
        engine.dispose()
