"""A writer killed with SIGKILL leaves the database consistent, with every acknowledged write kept."""

from __future__ import annotations

import random
import signal
import time

from clusterlevers.storage import NotFound, ScenarioStore

from .helpers import check_consistency, read_event, spawn


def _kill(proc) -> None:  # type: ignore[no-untyped-def]
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def test_kill_during_a_stream_of_writes(db_url: str) -> None:
    rng = random.Random(6)
    acknowledged: list[tuple[str, int]] = []
    for _round in range(3):
        proc = spawn("stream", db_url, "60000")  # ~60 KB designs widen the window a kill can land in
        try:
            assert read_event(proc)["event"] == "ready"
            target = rng.randint(8, 20)
            for _ in range(target):
                event = read_event(proc)
                acknowledged.append((event["id"], event["version"]))
            time.sleep(rng.uniform(0, 0.01))  # land somewhere inside a later write
        finally:
            _kill(proc)
        versions = check_consistency(db_url)
        for sid, version in acknowledged:  # nothing the writer was told is saved has gone
            assert version in versions[sid]
    with ScenarioStore(db_url) as store:  # the store opens and writes normally afterwards
        sid = acknowledged[-1][0]
        latest = store.get(sid).latest.version
        assert store.append(sid, {"levers": {}}).version == latest + 1
        assert len(store.list()) == len(check_consistency(db_url))


def test_kill_inside_an_open_write_transaction(db_url: str) -> None:
    with ScenarioStore(db_url) as store:
        saved = store.create("victim", {"levers": {"portfolio_size": 3}})
        store.append(saved.id, {"levers": {"portfolio_size": 4}})
    proc = spawn("hang", db_url, saved.id, "200000")
    try:
        event = read_event(proc)
        assert event == {"event": "mid-write", "version": 3}  # version 3 is inserted but not committed
    finally:
        _kill(proc)
    assert check_consistency(db_url) == {saved.id: [1, 2]}
    with ScenarioStore(db_url) as store:  # the lock died with the process; writing works at once
        started = time.monotonic()
        assert store.append(saved.id, {"levers": {"portfolio_size": 5}}).version == 3
        assert time.monotonic() - started < 5
        assert store.get(saved.id).latest.design == {"levers": {"portfolio_size": 5}}
        try:
            store.get_version(saved.id, 4)
            raise AssertionError("a version that was never written exists")
        except NotFound:
            pass
