"""Worker processes for the storage concurrency and crash tests (run as ``python -m tests.storage.workers``).

Each worker opens its own ScenarioStore, prints ``ready``, waits for a line on stdin (so that the parent
can release all workers at the same moment), does its work and prints one JSON line per committed
write; the parent reads that line only after the commit returned.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from clusterlevers.storage import ScenarioStore


def design(i: int, size: int = 0) -> dict[str, Any]:
    d: dict[str, Any] = {"name": f"design {i}", "levers": {"portfolio_size": i % 150 + 1, "funding_horizon": 10}}
    if size:
        d["notes"] = "x" * size
    return d


def _emit(**data: Any) -> None:
    sys.stdout.write(json.dumps(data) + "\n")
    sys.stdout.flush()


def _wait_for_go() -> None:
    _emit(event="ready")
    sys.stdin.readline()


def append(url: str, scenario_id: str, n: int, tag: str) -> None:
    store = ScenarioStore(url)
    _wait_for_go()
    start = time.time()
    for i in range(n):
        saved = store.append(scenario_id, design(i), note=f"{tag}-{i}", author=tag)
        _emit(event="saved", id=saved.id, version=saved.version, note=f"{tag}-{i}")
    _emit(event="done", start=start, end=time.time())
    store.close()


def create(url: str, n: int, tag: str) -> None:
    store = ScenarioStore(url)
    _wait_for_go()
    start = time.time()
    for i in range(n):
        saved = store.create(f"{tag} {i}", design(i), author=tag)
        _emit(event="saved", id=saved.id, version=saved.version, note=f"{tag}-{i}")
    _emit(event="done", start=start, end=time.time())
    store.close()


def open_only(url: str) -> None:
    _wait_for_go()
    start = time.time()
    store = ScenarioStore(url)
    store.close()
    _emit(event="done", start=start, end=time.time())


def stream(url: str, size: int) -> None:
    """Write forever (until killed): a new scenario every 5 writes, appends in between, big designs."""
    store = ScenarioStore(url)
    _emit(event="ready")
    scenario_id = ""
    i = 0
    while True:
        if i % 5 == 0:
            saved = store.create(f"stream {i}", design(i, size), note="created")
            scenario_id = saved.id
        else:
            saved = store.append(scenario_id, design(i, size), note=f"write {i}")
        _emit(event="saved", id=saved.id, version=saved.version)
        i += 1


def hang_mid_write(url: str, scenario_id: str, size: int) -> None:
    """Open a write transaction, insert the next version (flushed to the database), then hang until killed."""
    from sqlalchemy import func, select

    from clusterlevers.storage.models import ScenarioVersion

    store = ScenarioStore(url)
    with store._write() as session, session.begin():
        latest = session.scalar(select(func.max(ScenarioVersion.version))
                                .where(ScenarioVersion.scenario_id == scenario_id))
        session.add(ScenarioVersion(scenario_id=scenario_id, version=(latest or 0) + 1, name="half-written",
                                    design_json=json.dumps(design(0, size)), created_at=_utcnow()))
        session.flush()
        _emit(event="mid-write", version=(latest or 0) + 1)
        time.sleep(120)


def _utcnow() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


if __name__ == "__main__":
    kind, *args = sys.argv[1:]
    if kind == "append":
        append(args[0], args[1], int(args[2]), args[3])
    elif kind == "create":
        create(args[0], int(args[1]), args[2])
    elif kind == "open":
        open_only(args[0])
    elif kind == "stream":
        stream(args[0], int(args[1]))
    elif kind == "hang":
        hang_mid_write(args[0], args[1], int(args[2]))
    else:
        raise SystemExit(f"unknown worker {kind}")
