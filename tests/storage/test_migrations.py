"""Alembic: the shipped migrations build exactly the schema the models describe, idempotently and safely
when several processes open a fresh database at once."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from clusterlevers.storage import ScenarioStore
from clusterlevers.storage.engine import make_engine
from clusterlevers.storage.migrate import current_revision, head_revision, upgrade_to_head
from clusterlevers.storage.models import Base

from .helpers import run_together


def test_migrations_match_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == []  # really an empty database
        upgrade_to_head(engine)
        assert current_revision(engine) == head_revision() is not None
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
            diff = compare_metadata(ctx, Base.metadata)
            assert diff == []
            tables = set(inspect(conn).get_table_names())
            uniques = inspect(conn).get_unique_constraints("scenario_versions")
            fks = inspect(conn).get_foreign_keys("scenario_versions")
        assert {"scenarios", "scenario_versions", "alembic_version"} <= tables
        assert [sorted(u["column_names"]) for u in uniques] == [["scenario_id", "version"]]
        assert [(f["referred_table"], f["constrained_columns"]) for f in fks] == [("scenarios", ["scenario_id"])]
    finally:
        engine.dispose()


def test_unique_constraint_is_enforced_by_the_database(store: ScenarioStore) -> None:
    import pytest
    from sqlalchemy.exc import IntegrityError

    saved = store.create("A", {"levers": {}})
    insert = text("INSERT INTO scenario_versions (scenario_id, version, name, design_json, created_at) "
                  "VALUES (:s, 1, 'dup', '{}', CURRENT_TIMESTAMP)")
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.execute(insert, {"s": saved.id})
    orphan = text("INSERT INTO scenario_versions (scenario_id, version, name, design_json, created_at) "
                  "VALUES ('no-such-id', 1, 'orphan', '{}', CURRENT_TIMESTAMP)")
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.execute(orphan)  # foreign keys are on, SQLite included


def test_opening_twice_is_idempotent(db_url: str) -> None:
    with ScenarioStore(db_url) as s:
        saved = s.create("A", {"levers": {}})
    with ScenarioStore(db_url) as s:
        assert s.get(saved.id).name == "A"
        with s.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [head_revision()]


def test_sqlite_pragmas(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with ScenarioStore(f"sqlite:///{tmp_path / 'p.db'}") as s, s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_processes_opening_a_fresh_database_at_once(db_url: str) -> None:
    results = run_together([["open", db_url] for _ in range(4)])
    assert all(events[-1]["event"] == "done" for events in results)
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [head_revision()]
    finally:
        engine.dispose()
