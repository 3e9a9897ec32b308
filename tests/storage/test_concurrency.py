"""Two OS processes writing at once lose nothing and see no error."""

from __future__ import annotations

from clusterlevers.storage import ScenarioStore

from .helpers import check_consistency, run_together

N = 50


def _overlap(a: list[dict], b: list[dict]) -> bool:
    da, db = a[-1], b[-1]
    return da["start"] < db["end"] and db["start"] < da["end"]


def test_two_processes_appending_to_one_scenario(db_url: str) -> None:
    with ScenarioStore(db_url) as store:
        saved = store.create("shared", {"levers": {}}, note="start")
    a, b = run_together([["append", db_url, saved.id, str(N), "p1"], ["append", db_url, saved.id, str(N), "p2"]])
    assert _overlap(a, b), "the two writers did not run at the same time; the test proves nothing"
    reported = [e["version"] for e in a + b if e["event"] == "saved"]
    assert sorted(reported) == list(range(2, 2 * N + 2))  # every caller got a distinct version back
    with ScenarioStore(db_url) as store:
        rec = store.get(saved.id)
    assert [v.version for v in rec.history] == list(range(2 * N + 1, 0, -1))
    notes = {v.note for v in rec.history}
    assert notes == {"start"} | {f"p{p}-{i}" for p in (1, 2) for i in range(N)}
    # each version holds what the caller that got that number wrote
    by_version = {v.version: v.note for v in rec.history}
    assert all(by_version[e["version"]] == e["note"] for e in a + b if e["event"] == "saved")
    assert check_consistency(db_url) == {saved.id: list(range(1, 2 * N + 2))}


def test_two_processes_creating_scenarios(db_url: str) -> None:
    ScenarioStore(db_url).close()
    a, b = run_together([["create", db_url, str(N), "p1"], ["create", db_url, str(N), "p2"]])
    assert _overlap(a, b)
    ids = [e["id"] for e in a + b if e["event"] == "saved"]
    assert len(ids) == len(set(ids)) == 2 * N
    with ScenarioStore(db_url) as store:
        names = sorted(s.name for s in store.list())
    assert names == sorted(f"p{p} {i}" for p in (1, 2) for i in range(N))
    assert set(check_consistency(db_url)) == set(ids)
