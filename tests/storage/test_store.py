"""The ScenarioStore API on both backends: create, append, rename, list, get, duplicate, delete, limits."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from clusterlevers.storage import DESIGN_MAX_BYTES, NotFound, ScenarioStore

DESIGN = {"name": "Arena 2025", "context": {"country": "NO", "currency": "NOK"},
          "levers": {"ambition_level": "grow", "portfolio_size": 12, "funding_intensity": 2.5}}


def test_create_and_get_round_trip(store: ScenarioStore) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    saved = store.create("Arena 2025", DESIGN, note="first draft", author="ana")
    assert saved.version == 1
    assert re.fullmatch(r"[A-Za-z0-9_-]{12}", saved.id)
    rec = store.get(saved.id)
    assert rec.id == saved.id and rec.name == "Arena 2025" and not rec.deleted
    assert rec.latest.design == DESIGN
    assert (rec.latest.version, rec.latest.note, rec.latest.author) == (1, "first draft", "ana")
    assert rec.history == [rec.latest]
    assert rec.latest.created_at.tzinfo is not None
    assert before <= rec.latest.created_at <= datetime.now(UTC) + timedelta(seconds=1)


def test_ids_are_distinct(store: ScenarioStore) -> None:
    ids = {store.create(f"s{i}", DESIGN).id for i in range(20)}
    assert len(ids) == 20


def test_append_keeps_every_version_newest_first(store: ScenarioStore) -> None:
    saved = store.create("A", DESIGN)
    designs = [dict(DESIGN, levers={"portfolio_size": n}) for n in range(2, 6)]
    for n, d in enumerate(designs, start=2):
        assert store.append(saved.id, d, note=f"v{n}", author="bo") == type(saved)(id=saved.id, version=n)
    rec = store.get(saved.id)
    assert [v.version for v in rec.history] == [5, 4, 3, 2, 1]
    assert rec.latest.design == designs[-1]
    assert [v.design for v in reversed(rec.history)] == [DESIGN, *designs]
    assert store.get_version(saved.id, 1).design == DESIGN
    assert store.get_version(saved.id, 3).note == "v3"
    assert [v.version for v in store.get(saved.id, history_limit=2).history] == [5, 4]


def test_design_is_stored_as_given(store: ScenarioStore, db_url: str) -> None:
    design = {"z": 1, "a": {"é": "Ünïcødé ✓", "n": None, "f": 0.1, "big": 10**15}, "list": [3, 1, 2], "tag": "\u0000"}
    saved = store.create("order", design)
    assert store.get(saved.id).latest.design == design
    with store.engine.connect() as conn:
        raw = conn.execute(text("SELECT design_json FROM scenario_versions WHERE scenario_id = :i"),
                           {"i": saved.id}).scalar_one()
    assert raw == json.dumps(design, ensure_ascii=False)
    assert list(json.loads(raw)) == ["z", "a", "list", "tag"]  # key order kept


def test_names_and_notes_are_verbatim(store: ScenarioStore) -> None:
    name = '<script>alert("x")</script> & Søren\'s  plan '
    note = "line 1\nline 2\t<b>bold</b>"
    saved = store.create(name, DESIGN, note=note, author="<i>me</i>")
    rec = store.get(saved.id)
    assert (rec.name, rec.latest.note, rec.latest.author) == (name, note, "<i>me</i>")
    assert [s.name for s in store.list()] == [name]


def test_rename_records_a_version_and_keeps_old_name(store: ScenarioStore) -> None:
    saved = store.create("Old", DESIGN)
    store.append(saved.id, dict(DESIGN, name="changed"))
    renamed = store.rename(saved.id, "New", note="better name", author="cy")
    assert renamed.version == 3
    rec = store.get(saved.id)
    assert rec.name == "New"
    assert [v.name for v in rec.history] == ["New", "Old", "Old"]
    assert rec.latest.design == rec.history[1].design  # same design as before the rename
    assert rec.latest.note == "better name"
    assert [s.name for s in store.list()] == ["New"]


def test_list_summaries(store: ScenarioStore) -> None:
    a = store.create("A", DESIGN)
    b = store.create("B", DESIGN)
    store.append(a.id, DESIGN)
    store.append(a.id, DESIGN)
    rows = {s.id: s for s in store.list()}
    assert set(rows) == {a.id, b.id}
    assert (rows[a.id].latest_version, rows[b.id].latest_version) == (3, 1)
    assert rows[a.id].updated_at >= rows[a.id].created_at
    assert [s.id for s in store.list()][0] == a.id  # most recently updated first
    dumped = rows[a.id].as_dict()
    assert set(dumped) >= {"id", "name", "latest_version", "created_at", "updated_at", "deleted"}
    assert dumped["created_at"].endswith("Z") or dumped["created_at"].endswith("+00:00")
    json.dumps(dumped)


def test_get_returns_json_ready_dicts(store: ScenarioStore) -> None:
    saved = store.create("A", DESIGN)
    data = store.get(saved.id).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["latest"]["design"] == DESIGN
    assert datetime.fromisoformat(data["latest"]["created_at"]).utcoffset() == timedelta(0)
    assert store.get(saved.id).model_dump(mode="json") == data


def test_duplicate_copies_latest(store: ScenarioStore) -> None:
    a = store.create("Original", DESIGN)
    second = dict(DESIGN, levers={"portfolio_size": 40})
    store.append(a.id, second)
    dup = store.duplicate(a.id, author="di")
    assert dup.id != a.id and dup.version == 1
    rec = store.get(dup.id)
    assert rec.latest.design == second
    assert rec.latest.note == f"duplicated from {a.id} v2"
    assert rec.latest.author == "di"
    assert rec.name == "Original (copy)"
    assert store.get(store.duplicate(a.id, name="Named").id).name == "Named"
    assert len(store.get(a.id).history) == 2  # the source is untouched


def test_soft_delete_and_restore(store: ScenarioStore, db_url: str) -> None:
    a = store.create("A", DESIGN)
    b = store.create("B", DESIGN)
    store.delete(a.id, author="eve")
    assert [s.id for s in store.list()] == [b.id]
    with pytest.raises(NotFound):
        store.get(a.id)
    with pytest.raises(NotFound):
        store.get_version(a.id, 1)
    with pytest.raises(NotFound):
        store.append(a.id, DESIGN)
    with pytest.raises(NotFound):
        store.duplicate(a.id)
    with pytest.raises(NotFound):
        store.delete(a.id)
    rec = store.get(a.id, include_deleted=True)
    assert rec.deleted and rec.deleted_by == "eve" and rec.deleted_at is not None
    assert rec.latest.design == DESIGN  # nothing was destroyed
    everything = {s.id: s for s in store.list(include_deleted=True)}
    assert everything[a.id].deleted and not everything[b.id].deleted
    store.restore(a.id)
    assert store.get(a.id).deleted is False
    assert {s.id for s in store.list()} == {a.id, b.id}
    store.restore(a.id)  # restoring a live scenario is a no-op


def test_unknown_ids(store: ScenarioStore) -> None:
    a = store.create("A", DESIGN)
    for bad in ["nope", "", "x" * 500, "'; DROP TABLE scenarios; --"]:
        calls = (lambda b=bad: store.get(b), lambda b=bad: store.append(b, DESIGN),
                 lambda b=bad: store.rename(b, "n"), lambda b=bad: store.duplicate(b), lambda b=bad: store.delete(b),
                 lambda b=bad: store.restore(b), lambda b=bad: store.get_version(b, 1))
        for call in calls:
            with pytest.raises(NotFound):
                call()
    with pytest.raises(NotFound):
        store.get_version(a.id, 2)
    with pytest.raises(NotFound):
        store.get_version(a.id, 0)
    assert isinstance(NotFound("x"), LookupError)


def test_limits_raise_value_error_and_write_nothing(store: ScenarioStore) -> None:
    a = store.create("A", DESIGN)
    just_fits = {"notes": "x" * (DESIGN_MAX_BYTES - len(json.dumps({"notes": ""})))}
    assert store.append(a.id, just_fits).version == 2
    too_big = {"notes": "x" * DESIGN_MAX_BYTES}
    multibyte = {"notes": "é" * (DESIGN_MAX_BYTES // 2)}  # fits in characters, not in UTF-8 bytes
    bad_calls = [
        lambda: store.create("B", too_big),
        lambda: store.append(a.id, too_big),
        lambda: store.append(a.id, multibyte),
        lambda: store.create("n" * 201, DESIGN),
        lambda: store.create("", DESIGN),
        lambda: store.create("   ", DESIGN),
        lambda: store.create("ok", DESIGN, note="n" * 2001),
        lambda: store.create("ok", DESIGN, author="a" * 201),
        lambda: store.create("nul\x00", DESIGN),
        lambda: store.create("surrogate \udcff", DESIGN),
        lambda: store.create("ok", ["not", "a", "dict"]),  # type: ignore[arg-type]
        lambda: store.create("ok", {"x": float("nan")}),
        lambda: store.create("ok", {"x": object()}),
        lambda: store.rename(a.id, "n" * 201),
        lambda: store.append(a.id, DESIGN, note="n" * 2001),
        lambda: store.duplicate(a.id, name=""),
    ]
    for call in bad_calls:
        with pytest.raises(ValueError):
            call()
    assert store.create("n" * 200, DESIGN, note="n" * 2000).version == 1
    assert [s.latest_version for s in store.list() if s.id == a.id] == [2]
    assert len(store.list()) == 2


def test_reopen_sees_everything(db_url: str) -> None:
    with ScenarioStore(db_url) as s1:
        a = s1.create("A", DESIGN)
        s1.append(a.id, DESIGN)
    with ScenarioStore(db_url) as s2:
        assert s2.get(a.id).latest.version == 2


def test_store_is_thread_safe(store: ScenarioStore) -> None:
    from concurrent.futures import ThreadPoolExecutor

    a = store.create("A", DESIGN)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda i: store.append(a.id, DESIGN, note=str(i)).version, range(40)))
    assert sorted(results) == list(range(2, 42))
    assert sorted(int(v.note) for v in store.get(a.id).history if v.version > 1) == list(range(40))
